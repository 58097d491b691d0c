package io.leopard.server.web;

import io.helidon.webserver.http.ServerRequest;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Reads a request body of at most {@code maxBytes}. A larger one is {@code BODY_TOO_LARGE}; its
 * rest is read and thrown away up to {@link #DISCARD_LIMIT} first, because closing a connection
 * with unread bytes makes TCP reset it, and the client would then lose the 413 answer.
 */
public final class BodyReader {
    /** Beyond this much, a too-large body is not worth reading: the connection is just closed. */
    static final long DISCARD_LIMIT = 1 << 20;

    private BodyReader() {
    }

    public static byte[] read(ServerRequest req, int maxBytes) throws ProtocolException {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            if (declared.getAsLong() <= DISCARD_LIMIT) {
                discard(req);
            }
            throw tooLarge(maxBytes);
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        byte[] buf = new byte[(int) Math.min(maxBytes + 1L, declared.orElse(1024) + 1)];
        int n = 0;
        try (InputStream in = req.content().inputStream()) {
            int r;
            while ((r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
                if (n == buf.length) {
                    if (n > maxBytes) {
                        skip(in, DISCARD_LIMIT - n);
                        throw tooLarge(maxBytes);
                    }
                    buf = Arrays.copyOf(buf, Math.min(maxBytes + 1, buf.length * 2));
                }
            }
        } catch (IOException | RuntimeException e) {
            // broken chunked framing or a body shorter than its Content-Length: the HTTP request
            // itself is malformed, and the connection cannot be trusted for another request
            throw new ProtocolException(ErrorCode.BAD_REQUEST);
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static void discard(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            skip(in, DISCARD_LIMIT);
        } catch (IOException | RuntimeException e) {
            // the connection is closed after the 413 anyway
        }
    }

    private static void skip(InputStream in, long budget) throws IOException {
        byte[] sink = new byte[8192];
        long left = budget;
        int r;
        while (left > 0 && (r = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= r;
        }
    }

    private static ProtocolException tooLarge(int maxBytes) {
        return new ProtocolException(ErrorCode.BODY_TOO_LARGE, ErrorCode.BODY_TOO_LARGE.message()
                + ": at most " + maxBytes + " bytes");
    }
}
