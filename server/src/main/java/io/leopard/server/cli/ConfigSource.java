package io.leopard.server.cli;

import io.leopard.server.config.LeopardConfig;

/** A command that knows the effective configuration (the top-level {@code leopard} command). */
public interface ConfigSource {
    LeopardConfig config();
}
