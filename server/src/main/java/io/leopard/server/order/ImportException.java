package io.leopard.server.order;

/**
 * An import file could not be imported; nothing of it was written. The message says where
 * ({@code line N: reason}, lines counted from 1 with the CSV header as line 1) and is meant for
 * the operator as is.
 */
public final class ImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImportException(String message) {
        super(message);
    }

    static ImportException at(long line, String reason) {
        return new ImportException("line " + line + ": " + reason);
    }
}
