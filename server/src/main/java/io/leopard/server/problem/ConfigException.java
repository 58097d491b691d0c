package io.leopard.server.problem;

/**
 * The configuration is wrong; the message says which key and what is expected. It lives in a
 * package of its own, which imports nothing of Leopard's: the components that find a bad value only
 * when they use it (a keystore, a master key file, a JDBC URL) throw it without depending on the
 * package that reads the configuration.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
