package io.leopard.server.web.helidonfix;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.http1.Http1Config;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Recognises the connections that carry one exchange (an HTTP/1.0 request, or an HTTP/1.1 request
 * saying {@code Connection: close}) and the answers that end one, from the bytes Helidon reads and
 * writes (see the package's description for why Helidon needs the help).
 */
public final class OneExchange {
    private static final byte[] HTTP_10 = " HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AS_HTTP_11 = " HTTP/1.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A Connection header naming close among its comma-separated tokens, at the start of a header line. */
    private static final Pattern CONNECTION_CLOSE =
            Pattern.compile("\r\nconnection[ \t]*:([^\r\n]*[ \t,])?close[ \t]*(,|\r)", Pattern.CASE_INSENSITIVE);
    private static final byte[] ANSWER_CLOSES = "\r\nconnection: close\r\n".getBytes(StandardCharsets.US_ASCII);

    private OneExchange() {
    }

    /** Whether the request line of {@code lineLength} bytes (CRLF excluded) at the reader's position ends in {@code HTTP/1.0}. */
    public static boolean isHttp10(DataReader reader, int lineLength) {
        if (lineLength < HTTP_10.length) {
            return false;
        }
        BufferData line = reader.getBuffer(lineLength);
        line.skip(lineLength - HTTP_10.length);
        for (byte b : HTTP_10) {
            if (line.read() != (b & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Consumes an HTTP/1.0 request line (and its CRLF) from {@code reader} and returns it as
     * HTTP/1.1 followed by a {@code Connection: close} header line, for the reader to start with.
     */
    public static byte[] asHttp11(DataReader reader, int lineLength) {
        byte[] methodAndTarget = reader.readBytes(lineLength - HTTP_10.length);
        reader.skip(HTTP_10.length + 2); // " HTTP/1.0" and CRLF
        byte[] rewritten = new byte[methodAndTarget.length + AS_HTTP_11.length];
        System.arraycopy(methodAndTarget, 0, rewritten, 0, methodAndTarget.length);
        System.arraycopy(AS_HTTP_11, 0, rewritten, methodAndTarget.length, AS_HTTP_11.length);
        return rewritten;
    }

    /**
     * Whether the headers of the first request, when they have all arrived with it, say
     * {@code Connection: close}. Headers that come in later packets are not waited for: such a
     * connection is served as usual, only not closed early.
     */
    public static boolean requestAsksToClose(DataReader reader, int lineLength) {
        String received = reader.getBuffer(reader.available()).readString(reader.available(), StandardCharsets.ISO_8859_1);
        int headersEnd = received.indexOf("\r\n\r\n", lineLength);
        return headersEnd > 0 && CONNECTION_CLOSE.matcher(received).region(lineLength, headersEnd + 2).find();
    }

    /** Whether the header block at the start of the outgoing answer {@code b} has {@code Connection: close} (as Helidon writes it). */
    public static boolean answerSaysClose(BufferData b) {
        int n = b.available();
        outer:
        for (int i = 0; i + ANSWER_CLOSES.length <= n; i++) {
            int c = b.get(i);
            if (c == '\r' && i + 3 < n && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
                return false; // the end of the header block
            }
            for (int j = 0; j < ANSWER_CLOSES.length; j++) {
                int x = b.get(i + j);
                if (x >= 'A' && x <= 'Z') {
                    x += 'a' - 'A';
                }
                if (x != ANSWER_CLOSES[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * {@code config} without HTTP/1.1's rule that a request names its Host: an HTTP/1.0 request
     * has none. The setting is marked for removal in Helidon 4.5; kept until what replaces it is
     * known (the warning is suppressed here only).
     */
    @SuppressWarnings("removal")
    public static Http1Config withoutHostHeaderCheck(Http1Config config) {
        return Http1Config.builder().from(config).validateRequestHostHeader(false).build();
    }
}
