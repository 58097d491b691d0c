package io.leopard.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ParamRules;
import io.leopard.server.order.BackwardsMove;
import io.leopard.server.order.ImportException;
import io.leopard.server.order.ImportResult;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderImporter.Format;
import io.leopard.server.web.Exchange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /orders:import} under {@link InternalRoutes#BASE}: {@code leopard order import} while
 * the server runs. The body is an import file, streamed into {@link OrderImporter} as it arrives
 * (never held whole), all or nothing: a bad row is a 400 with its {@code line N: reason} and
 * nothing of the file is written. The format is the {@code format} query parameter ({@code csv},
 * {@code jsonl}) or else the Content-Type ({@code text/csv}; {@code application/x-ndjson},
 * {@code application/jsonl}); {@code strict=true} fails the import on a backwards move, as
 * {@code --strict} does. The answer is the report the CLI prints, as JSON.
 */
public final class OrderImportEndpoint implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(OrderImportEndpoint.class);
    private static final Set<String> PARAMETERS = Set.of("format", "strict");
    private static final Pattern LINE = Pattern.compile("^line (\\d+): ");
    /** What is read and thrown away of a refused file's rest, so the client reads the 400 rather than a reset. */
    private static final long DISCARD_LIMIT = 64L << 20;
    /** How often the streaming body tells the connection guard that the request still makes progress. */
    private static final int PROGRESS_BYTES = 256 * 1024;

    private final OrderImporter importer;

    public OrderImportEndpoint(OrderImporter importer) {
        this.importer = importer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/orders:import", this::importOrders);
    }

    private void importOrders(ServerRequest req, ServerResponse res) {
        Exchange exchange = Exchange.of(req);
        exchange.metricName("internal.import");
        exchange.processing();
        try {
            boolean strict = strict(req);
            Format format = format(req);
            ImportResult result;
            try (InputStream in = req.content().hasEntity() ? new Progress(req.content().inputStream(), exchange)
                    : InputStream.nullInputStream()) {
                try {
                    result = importer.importFrom(in, format, strict);
                } catch (ImportException e) {
                    discard(in);
                    throw e;
                }
            } catch (IOException e) {
                throw new ImportException("cannot read the file: " + e.getMessage());
            }
            LOG.info("internal API: import {}{}: {}", format == Format.CSV ? "csv" : "jsonl", strict ? " strict" : "", result);
            InternalReplies.send(req, res, 200, report(result));
        } catch (JsonBody.Failure f) {
            InternalReplies.error(req, res, f.status, f.error, f.getMessage(), f.field);
        } catch (ImportException e) {
            ObjectNode body = InternalReplies.errorBody("bad_file", e.getMessage(), null);
            Matcher m = LINE.matcher(e.getMessage());
            if (m.find()) {
                body.put("line", Long.parseLong(m.group(1)));
            }
            InternalReplies.send(req, res, 400, body);
        }
    }

    /** The report: the counts, the CLI's summary line, and the backwards moves skipped (the first ones, one a line). */
    static ObjectNode report(ImportResult result) {
        ObjectNode body = InternalReplies.JSON.createObjectNode()
                .put("rowsRead", result.rowsRead()).put("inserted", result.inserted()).put("updated", result.updated())
                .put("unchanged", result.unchanged()).put("backwardsSkipped", result.backwardsSkipped())
                .put("summary", result.toString());
        ArrayNode moves = body.putArray("backwards");
        for (BackwardsMove m : result.backwardsShown()) {
            moves.addObject().put("line", m.line()).put("mid", m.mid()).put("orderNo", m.orderNo())
                    .put("from", m.from().name()).put("to", m.to().name());
        }
        ArrayNode lines = body.putArray("backwardsLines");
        result.backwardsLines().forEach(lines::add);
        return body;
    }

    private static boolean strict(ServerRequest req) {
        for (String name : req.query().names()) {
            if (!PARAMETERS.contains(name)) {
                String shown = ParamRules.printable(name);
                throw new JsonBody.Failure(400, "unknown_parameter", "unknown query parameter \"" + shown
                        + "\"; expected format, strict", shown);
            }
        }
        List<String> values = req.query().all("strict", List::of);
        if (values.isEmpty()) {
            return false;
        }
        if (values.size() > 1 || !(values.get(0).equals("true") || values.get(0).equals("false"))) {
            throw JsonBody.invalid("strict", "strict must be true or false");
        }
        return values.get(0).equals("true");
    }

    private static Format format(ServerRequest req) {
        List<String> values = req.query().all("format", List::of);
        if (values.size() > 1) {
            throw JsonBody.invalid("format", "format is given twice");
        }
        if (values.size() == 1) {
            return switch (values.get(0).toLowerCase(Locale.ROOT)) {
                case "csv" -> Format.CSV;
                case "jsonl", "ndjson" -> Format.JSON_LINES;
                default -> throw JsonBody.invalid("format", "format must be csv or jsonl");
            };
        }
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "text/csv" -> Format.CSV;
            case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines" -> Format.JSON_LINES;
            default -> throw new JsonBody.Failure(415, "media_type_unsupported", "say the file's format: ?format=csv or "
                    + "?format=jsonl, or Content-Type text/csv or application/x-ndjson", "format");
        };
    }

    private static void discard(InputStream in) {
        byte[] sink = new byte[8192];
        long left = DISCARD_LIMIT;
        try {
            int r;
            while (left > 0 && (r = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= r;
            }
        } catch (IOException | RuntimeException e) {
            // the answer is the file's error either way
        }
    }

    /**
     * The body as it arrives, telling the connection guard every {@link #PROGRESS_BYTES} that the
     * request is still being handled: a file that streams for longer than {@code http.request-timeout}
     * is not cut off while it keeps coming.
     */
    private static final class Progress extends FilterInputStream {
        private final Exchange exchange;
        private long sinceMark;

        Progress(InputStream in, Exchange exchange) {
            super(in);
            this.exchange = exchange;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            sinceMark += n;
            if (sinceMark >= PROGRESS_BYTES) {
                sinceMark = 0;
                exchange.processing();
            }
        }
    }
}
