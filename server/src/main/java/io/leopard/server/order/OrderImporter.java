package io.leopard.server.order;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The backend of {@code leopard order import FILE}: reads a CSV or JSON Lines file of orders and
 * writes it in one transaction, all or nothing. The file streams (never held whole in memory) and
 * is written in JDBC batches inside that one transaction, so a bad row near the end of a large file
 * still leaves the store untouched. Rows apply in file order; importing a file twice changes
 * nothing the second time. A row whose merchant does not exist is a bad row like any other; a row
 * that would move its order back is skipped and reported ({@link BackwardsMoves}), or with
 * {@code strict} fails the import.
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
     * Backwards moves are skipped and reported in the result.
     */
    public ImportResult importFile(Path file) {
        return importFile(file, false);
    }

    /** As {@link #importFile(Path)}; when {@code strict}, a backwards move fails the import instead. */
    public ImportResult importFile(Path file, boolean strict) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            Format format = name.endsWith(".jsonl") || name.endsWith(".ndjson") ? Format.JSON_LINES
                    : name.endsWith(".csv") ? Format.CSV : sniff(in);
            return importFrom(in, format, strict);
        } catch (NoSuchFileException e) {
            throw new ImportException("no such file: " + file);
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Imports the UTF-8 text of {@code in} in the given format; the caller closes {@code in}. */
    public ImportResult importFrom(InputStream in, Format format) {
        return importFrom(in, format, false);
    }

    /**
     * As {@link #importFrom(InputStream, Format)}; when {@code strict}, a backwards move fails the
     * import (nothing written) instead of being skipped and reported.
     */
    public ImportResult importFrom(InputStream in, Format format, boolean strict) {
        TextInput text = new TextInput(in);
        ImportSource source = format == Format.CSV ? new CsvSource(text) : new JsonLinesSource(text);
        try (OrderWriter writer = store.openWriter()) {
            Batch batch = new Batch(writer);
            long read = 0;
            for (ImportRecord row = source.next(); row != null; row = source.next()) {
                Order order = parser.parse(row);
                if (!writer.merchantExists(order.mid())) {
                    throw ImportException.at(row.line(), "no merchant " + order.mid());
                }
                batch.add(order, row.line());
                read++;
                if (batch.size() == BATCH) {
                    batch.write();
                }
            }
            batch.write();
            if (read == 0) {
                throw new ImportException(format == Format.CSV ? "the file has a header but no rows" : "the file has no rows");
            }
            List<BackwardsMove> backwards = batch.backwards.moves();
            if (strict && !backwards.isEmpty()) {
                throw refused(backwards);
            }
            writer.commit();
            WriteCounts counts = batch.counts;
            return new ImportResult(read, counts.inserted(), counts.updated(), counts.unchanged() - backwards.size(),
                    backwards.size(), backwards.subList(0, Math.min(ImportResult.SHOWN, backwards.size())));
        }
    }

    private static ImportException refused(List<BackwardsMove> backwards) {
        BackwardsMove first = backwards.get(0);
        return ImportException.at(first.line(), first.orderNo() + " " + first.from() + " \u2192 " + first.to()
                + " is a backwards move, refused by --strict (state machine: " + first.rule() + ")"
                + (backwards.size() > 1 ? "; " + (backwards.size() - 1) + " more after it" : ""));
    }

    /** The rows read since the last write, with their lines, and what the writes so far did. */
    private static final class Batch {
        private final OrderWriter writer;
        private final List<Order> orders = new ArrayList<>(BATCH);
        private final List<Long> lines = new ArrayList<>(BATCH);
        private final BackwardsMoves backwards = new BackwardsMoves();
        private final Map<Integer, Order> skipped = new HashMap<>();
        private WriteCounts counts = WriteCounts.NONE;

        Batch(OrderWriter writer) {
            this.writer = writer;
        }

        void add(Order order, long line) {
            orders.add(order);
            lines.add(line);
        }

        int size() {
            return orders.size();
        }

        void write() {
            try {
                counts = counts.plus(writer.write(orders, (index, stored) -> skipped.put(index, stored)));
                // in file order: a later row of an order settles the skipped rows before it
                for (int i = 0; i < orders.size(); i++) {
                    Order row = orders.get(i);
                    Order stored = skipped.get(i);
                    if (stored == null) {
                        backwards.settled(row.flowNo());
                    } else {
                        backwards.skipped(row.flowNo(),
                                new BackwardsMove(lines.get(i), row.mid(), row.orderNo(), stored.state(), row.state()));
                    }
                }
            } catch (OrderConflictException e) {
                throw ImportException.at(lines.get(e.index()), e.getMessage());
            } finally {
                orders.clear();
                lines.clear();
                skipped.clear();
            }
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
