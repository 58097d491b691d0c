package io.leopard.server.web.connection;

import io.helidon.common.buffers.BufferData;

/** Reads what an outgoing buffer is, without moving its position. */
final class HttpBytes {
    private static final byte[] ANSWER = "HTTP/1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private HttpBytes() {
    }

    /** Whether {@code b} is an interim "HTTP/1.1 100 Continue", after which the body is still to come. */
    static boolean isContinue(BufferData b) {
        return isStatusLine(b) && isContinueCode(b);
    }

    /** Whether {@code b} starts an answer's status line, other than an interim "100 Continue". */
    static boolean startsAnswer(BufferData b) {
        return isStatusLine(b) && !isContinueCode(b);
    }

    /** Whether {@code b} starts with "HTTP/1." and is long enough to hold a status code. */
    private static boolean isStatusLine(BufferData b) {
        if (b == null || b.available() < 12) {
            return false;
        }
        for (int i = 0; i < ANSWER.length; i++) {
            if (b.get(i) != ANSWER[i]) {
                return false;
            }
        }
        return true;
    }

    /** "HTTP/1.1 100 …": get(i) reads at the buffer's position without moving it. */
    private static boolean isContinueCode(BufferData b) {
        return b.get(9) == '1' && b.get(10) == '0' && b.get(11) == '0';
    }

}
