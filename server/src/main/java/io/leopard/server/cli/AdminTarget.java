package io.leopard.server.cli;

import io.leopard.server.Settings;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an admin command does its work: through a running server's internal listener, or on the
 * database itself ({@code null} from {@link #remote}). Through a server when {@code --server} is
 * given, or when the default embedded database is held by a server whose note
 * ({@link DemoRuntime}) in the data dir names an internal listener: then nothing needs the server
 * stopped. The token is {@code --token}, else the first configured {@code internal.tokens}, else
 * the token file a demo wrote beside its note ({@link InternalTokenFile}).
 * <p>
 * A server there without an internal listener is refused with what to do; a demo's note without
 * one, and every other case, go on to the local command and its checks ({@link EmbeddedDatabaseGuard}).
 */
final class AdminTarget {
    private AdminTarget() {
    }

    /** The running server to go through, or {@code null} to work on the database. */
    static InternalClient remote(LeopardConfig config, RemoteOptions options) {
        Settings settings = config.settings();
        Path dataDir = settings.dataDir();
        String configured = settings.internal() == null ? null : settings.internal().tokens().get(0);
        if (options != null && options.server != null) {
            String url = checkedUrl(options.server);
            Optional<String> file = InternalTokenFile.read(dataDir);
            if (options.token == null && configured == null && file.isEmpty()) {
                throw new IllegalArgumentException("--server needs a token: give --token, or set internal.tokens "
                        + "(LEOPARD_INTERNAL_TOKENS)");
            }
            return client(url, options, configured, file, dataDir, "given with --server");
        }
        String token = options == null ? null : options.token;
        Optional<DemoRuntime> running = settings.database().defaultEmbeddedDbFile() == null ? Optional.empty()
                : DemoRuntime.find(dataDir, DemoRuntime.SERVER_FILE).or(() -> DemoRuntime.find(dataDir));
        if (running.isEmpty()) {
            if (token != null) {
                throw new IllegalArgumentException("--token is for a running server's internal listener, and none runs on "
                        + folder(dataDir) + ": give --server URL too, or leave --token out");
            }
            return null;
        }
        DemoRuntime server = running.get();
        if (!server.hasInternalListener()) {
            if (server.isDemo()) {
                return null; // an older demo: the guard says to stop it
            }
            throw new IllegalStateException("the server running at " + server.url() + " (pid " + server.pid()
                    + ") has this database open and no internal listener to go through: set internal.tokens "
                    + "(LEOPARD_INTERNAL_TOKENS) and restart it, or stop it, then run the command again");
        }
        Optional<String> file = InternalTokenFile.read(dataDir);
        if (token == null && configured == null && file.isEmpty()) {
            throw new IllegalStateException("the server running at " + server.url() + " (pid " + server.pid()
                    + ") has this database open; its internal listener " + server.internalUrl() + " needs a token: give "
                    + "--token, or set LEOPARD_INTERNAL_TOKENS");
        }
        return client(server.internalUrl(), options, configured, file, dataDir,
                "found from " + server.file() + ", pid " + server.pid());
    }

    private static InternalClient client(String url, RemoteOptions options, String configured, Optional<String> file,
                                         Path dataDir, String foundBy) {
        if (options != null && options.token != null) {
            return new InternalClient(url, options.token, "--token", foundBy);
        }
        if (configured != null) {
            return new InternalClient(url, configured, "internal.tokens (the configuration or LEOPARD_INTERNAL_TOKENS)", foundBy);
        }
        return new InternalClient(url, file.orElseThrow(), "the demo's token file " + dataDir.resolve(InternalTokenFile.NAME),
                foundBy);
    }

    private static String checkedUrl(String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
                    && uri.getQuery() == null) {
                return text;
            }
        } catch (java.net.URISyntaxException e) {
            // said below
        }
        throw new IllegalArgumentException("--server must be the internal listener's base URL, such as "
                + "http://127.0.0.1:8081");
    }

    private static String folder(Path dir) {
        return dir.toString().endsWith("/") ? dir.toString() : dir + "/";
    }
}
