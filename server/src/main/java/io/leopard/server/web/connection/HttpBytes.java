package io.leopard.server.web.connection;

import io.helidon.common.buffers.BufferData;

/** Reads what an outgoing buffer is, without moving its position. */
final class HttpBytes {
    private static final byte[] ANSWER = "HTTP/1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "\r\nconnection: close\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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

    /** Whether the header block at the start of {@code b} has the header {@code Connection: close}. */
    static boolean saysConnectionClose(BufferData b) {
        int n = b.available();
        outer:
        for (int i = 0; i + CONNECTION_CLOSE.length <= n; i++) {
            int c = b.get(i);
            if (c == '\r' && i + 3 < n && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
                return false; // the end of the header block
            }
            for (int j = 0; j < CONNECTION_CLOSE.length; j++) {
                int x = b.get(i + j);
                if (x >= 'A' && x <= 'Z') {
                    x += 'a' - 'A';
                }
                if (x != CONNECTION_CLOSE[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
