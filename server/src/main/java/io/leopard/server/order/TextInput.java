package io.leopard.server.order;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 text, one character at a time, knowing the physical line it is on. Bytes that are
 * not UTF-8 are an error with the line number rather than silently replaced characters; a leading
 * byte-order mark (as spreadsheet programs write) is skipped.
 */
final class TextInput {
    /** The longest line or CSV record accepted: longer means this is not an order file. */
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
    private final CharBuffer chars = CharBuffer.allocate(64 * 1024).flip();
    private boolean endOfInput;
    /** Decoding stopped at bad bytes: reported once the characters before them are read. */
    private boolean badBytes;
    private long line = 1;
    private boolean started;

    /**
     * Decodes itself (rather than through an InputStreamReader) so that bad bytes are reported on
     * the line where they are, not at the start of the buffer that held them.
     */
    TextInput(InputStream in) {
        this.in = in;
    }

    /** The line the next character is on. */
    long line() {
        return line;
    }

    /** The next character, or -1 at the end. */
    int read() {
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        char c = chars.get();
        if (!started) {
            started = true;
            if (c == '\uFEFF') {
                return read();
            }
        }
        if (c == '\n') {
            line++;
        } else if (c == 0) {
            throw ImportException.at(line, "a NUL byte: this is not a text file");
        }
        return c;
    }

    /** Decodes more characters; {@code false} at the end of the input. */
    private boolean fill() {
        while (true) {
            if (badBytes) {
                throw ImportException.at(line, "not valid UTF-8 text");
            }
            chars.clear();
            if (!bytes.hasRemaining() && !endOfInput) {
                readBytes();
            }
            CoderResult r = decoder.decode(bytes, chars, endOfInput);
            if (r.isError()) {
                badBytes = true;
            } else if (endOfInput && !bytes.hasRemaining()) {
                decoder.flush(chars);
            } else if (r.isUnderflow() && !endOfInput) {
                readBytes();
            }
            chars.flip();
            if (chars.hasRemaining()) {
                return true;
            }
            if (endOfInput && !bytes.hasRemaining() && !badBytes) {
                return false;
            }
        }
    }

    private void readBytes() {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
            }
        } catch (IOException e) {
            throw new ImportException("cannot read the file: " + e.getMessage());
        } finally {
            bytes.flip();
        }
    }

    /**
     * The next line without its line ending, or {@code null} at the end.
     *
     * @throws ImportException when the line is longer than {@link #MAX_LINE}
     */
    String readLine() {
        long start = line;
        int c = read();
        if (c == -1) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        while (c != -1 && c != '\n') {
            if (sb.length() >= MAX_LINE) {
                throw ImportException.at(start, "longer than " + MAX_LINE + " characters");
            }
            sb.append((char) c);
            c = read();
        }
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
            sb.setLength(len - 1);
        }
        return sb.toString();
    }

}
