package io.leopard.server.order;

import io.leopard.protocol.ParamRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CSV rows (RFC 4180: comma-separated, fields optionally in double quotes, {@code ""} for a quote
 * inside one, CRLF or LF). The first record is the header naming exactly the columns of
 * {@link ImportSource#COLUMNS}, in any order. A quoted field may span lines; a row is reported by
 * the line it starts on.
 */
final class CsvSource implements ImportSource {
    private final TextInput in;
    private final List<String> header;

    CsvSource(TextInput in) {
        this.in = in;
        long line = in.line();
        List<String> names = readRecord();
        if (names == null) {
            throw new ImportException("the file is empty: expected a CSV header line naming the columns "
                    + String.join(",", COLUMNS));
        }
        this.header = checkHeader(line, names);
    }

    private static List<String> checkHeader(long line, List<String> names) {
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            if (!COLUMNS.contains(name)) {
                throw ImportException.at(line, "unknown column \"" + ParamRules.printable(name)
                        + "\"; the columns are " + String.join(",", COLUMNS));
            }
            if (!seen.add(name)) {
                throw ImportException.at(line, "column " + name + " appears twice");
            }
        }
        for (String column : COLUMNS) {
            if (!seen.contains(column)) {
                throw ImportException.at(line, "missing column " + column);
            }
        }
        return List.copyOf(names);
    }

    @Override
    public ImportRecord next() {
        while (true) {
            long line = in.line();
            List<String> values = readRecord();
            if (values == null) {
                return null;
            }
            if (values.size() == 1 && values.get(0).isEmpty()) {
                continue; // a blank line
            }
            if (values.size() != header.size()) {
                throw ImportException.at(line, values.size() + " fields, but the header has " + header.size());
            }
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i < values.size(); i++) {
                fields.put(header.get(i), values.get(i));
            }
            return new ImportRecord(line, fields);
        }
    }

    /** The fields of the next record, or {@code null} at the end of the file. */
    private List<String> readRecord() {
        long start = in.line();
        int c = in.read();
        if (c == -1) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int length = 0;
        while (true) {
            if (c == '"' && field.isEmpty()) {
                // quoted field: runs to a quote not followed by another quote
                while (true) {
                    c = in.read();
                    if (++length > TextInput.MAX_LINE) {
                        throw ImportException.at(start, "record longer than " + TextInput.MAX_LINE + " characters");
                    }
                    if (c == -1) {
                        throw ImportException.at(start, "a quoted field is not closed");
                    }
                    if (c == '"') {
                        c = in.read();
                        if (c != '"') {
                            break;
                        }
                    }
                    field.append((char) c);
                }
                if (c == '\r') {
                    c = in.read();
                }
                if (c != ',' && c != '\n' && c != -1) {
                    throw ImportException.at(in.line(), "text after the closing quote of a field");
                }
            } else {
                while (c != ',' && c != '\n' && c != -1) {
                    if (c == '"') {
                        throw ImportException.at(in.line(), "a quote inside an unquoted field (quote the whole field and double the quote)");
                    }
                    if (++length > TextInput.MAX_LINE) {
                        throw ImportException.at(start, "record longer than " + TextInput.MAX_LINE + " characters");
                    }
                    field.append((char) c);
                    c = in.read();
                }
                int len = field.length();
                if (c != ',' && len > 0 && field.charAt(len - 1) == '\r') {
                    field.setLength(len - 1);
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (c != ',') {
                return fields;
            }
            c = in.read();
        }
    }
}
