package io.leopard.server.cli;

import picocli.CommandLine.Option;

/**
 * {@code --server URL --token T}: the admin commands' way to a running server's internal listener
 * when it is not found from the data folder (see {@link AdminTarget}).
 */
final class RemoteOptions {
    @Option(names = "--server", paramLabel = "URL", description = "Go through this running server's internal listener "
            + "(e.g. http://127.0.0.1:8081) instead of opening the database. Default: the server running on the data dir, if any.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token of the internal listener (default: the first "
            + "of internal.tokens, else the token file a demo wrote in its folder).")
    String token;
}
