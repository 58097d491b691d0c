package io.leopard.server.order;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The backend of {@code leopard order import FILE}: reads a CSV or JSON Lines file of orders and
 * writes it in one transaction, all or nothing. The file streams (never held whole in memory) and
 * is written in JDBC batches inside that one transaction, so a bad row near the end of a large file
 * still leaves the store untouched. Rows apply in file order; importing a file twice changes
 * nothing the second time.
 */
public final class OrderImporter {
    /** Rows per write batch: one lookup query and one JDBC batch each. */
    static final int BATCH = 1000;
    /** How far the format sniffer looks for the first character that is not blank. */
    private static final int SNIFF_LIMIT = 64 * 1024;

    /** The file formats understood. */
    public enum Format { CSV, JSON_LINES }

    private final OrderStore store;
    private final ImportRowParser parser;

    /** @param zone the platform zone, in which the file's times are written */
    public OrderImporter(OrderStore store, ZoneId zone) {
        this.store = store;
        this.parser = new ImportRowParser(zone);
    }

    /**
     * Imports {@code file}: {@code .jsonl} or {@code .ndjson} is JSON Lines, {@code .csv} is CSV,
     * any other name is JSON Lines when its first non-blank character is {@code {}, else CSV.
     */
    public ImportResult importFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            Format format = name.endsWith(".jsonl") || name.endsWith(".ndjson") ? Format.JSON_LINES
                    : name.endsWith(".csv") ? Format.CSV : sniff(in);
            return importFrom(in, format);
        } catch (NoSuchFileException e) {
            throw new ImportException("no such file: " + file);
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Imports the UTF-8 text of {@code in} in the given format; the caller closes {@code in}. */
    public ImportResult importFrom(InputStream in, Format format) {
        TextInput text = new TextInput(in);
        ImportSource source = format == Format.CSV ? new CsvSource(text) : new JsonLinesSource(text);
        try (OrderWriter writer = store.openWriter()) {
            List<Order> batch = new ArrayList<>(BATCH);
            List<Long> lines = new ArrayList<>(BATCH);
            long read = 0;
            WriteCounts counts = WriteCounts.NONE;
            for (ImportRecord row = source.next(); row != null; row = source.next()) {
                batch.add(parser.parse(row));
                lines.add(row.line());
                read++;
                if (batch.size() == BATCH) {
                    counts = counts.plus(write(writer, batch, lines));
                }
            }
            counts = counts.plus(write(writer, batch, lines));
            if (read == 0) {
                throw new ImportException(format == Format.CSV ? "the file has a header but no rows" : "the file has no rows");
            }
            writer.commit();
            return new ImportResult(read, counts.inserted(), counts.updated(), counts.unchanged());
        }
    }

    private static WriteCounts write(OrderWriter writer, List<Order> batch, List<Long> lines) {
        try {
            return writer.write(batch);
        } catch (OrderConflictException e) {
            throw ImportException.at(lines.get(e.index()), e.getMessage());
        } finally {
            batch.clear();
            lines.clear();
        }
    }

    /** JSON Lines when the first non-blank character (after a byte-order mark) is an opening brace. */
    private static Format sniff(InputStream in) throws IOException {
        in.mark(SNIFF_LIMIT);
        try {
            for (int i = 0; i < SNIFF_LIMIT; i++) {
                int b = in.read();
                if (b == -1) {
                    return Format.CSV;
                }
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF) {
                    continue;
                }
                return b == '{' ? Format.JSON_LINES : Format.CSV;
            }
            return Format.CSV;
        } finally {
            in.reset();
        }
    }
}
