package io.leopard.server.order;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
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

    private final Reader reader;
    private long line = 1;
    private boolean started;

    TextInput(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
    }

    /** The line the next character is on. */
    long line() {
        return line;
    }

    /** The next character, or -1 at the end. */
    int read() {
        try {
            int c = reader.read();
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    c = reader.read();
                }
            }
            if (c == '\n') {
                line++;
            } else if (c == 0) {
                throw ImportException.at(line, "a NUL byte: this is not a text file");
            }
            return c;
        } catch (CharacterCodingException e) {
            throw ImportException.at(line, "not valid UTF-8 text");
        } catch (IOException e) {
            throw new ImportException("cannot read the file: " + e.getMessage());
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

    void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // reading is over; nothing to recover
        }
    }
}
