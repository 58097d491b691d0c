package io.leopard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.order.ImportException;
import io.leopard.server.order.ImportResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code leopard order import FILE}: load orders from a CSV or JSON Lines file, all or nothing; with
 * a server running on the data dir's embedded database (or {@code --server}), through its internal
 * listener, with the same report.
 */
@Command(name = "order", description = "Manage orders.", mixinStandardHelpOptions = true,
        footerHeading = CommandContext.EXAMPLE, footer = "  ${COMMAND-FULL-NAME} import orders.csv")
public final class OrderCommand {
    private final Supplier<LeopardConfig> configSupplier;


    @Spec
    private CommandSpec spec;


    /** The configuration comes from the top-level command (or a test). */
    public OrderCommand(Supplier<LeopardConfig> configSupplier) {
        this.configSupplier = configSupplier;
    }

    @Command(name = "import", description = "Import orders from a CSV (with header) or JSON Lines file. "
            + "A bad row is reported with its line number and nothing from the file is written.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE,
            footer = {"  ${COMMAND-FULL-NAME} orders.csv", "",
                    "A CSV file starts with this header:",
                    "  mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime", "",
                    "A whole example, the demo's orders, is in the source tree at:",
                    "  server/src/main/resources/demo/demo-fixture.csv"})
    int importFile(@Parameters(paramLabel = "FILE", description = "a .csv, .jsonl or .ndjson file") Path file,
                   @Option(names = "--strict", description = "a row that would move its order back "
                           + "(SUCCESS to INIT, say) fails the import instead of being skipped and reported")
                   boolean strict,
                   @Mixin RemoteOptions remote) throws IOException {
        LeopardConfig config = configSupplier.get();
        InternalClient server = AdminTarget.remote(config, remote);
        PrintWriter out = spec.commandLine().getOut();
        if (server != null) {
            JsonNode report = importThrough(server, file, strict);
            out.println("imported " + file + ": " + report.path("summary").asText());
            report.path("backwardsLines").forEach(line -> out.println(line.asText()));
            return 0;
        }
        try (AdminSession session = new AdminSession(config, spec, EmbeddedDatabaseGuard.Need.MAY_CREATE)) {
            ImportResult result = session.importer().importFile(file, strict);
            out.println("imported " + file + ": " + result);
            result.backwardsLines().forEach(out::println);
            return 0;
        }
    }

    /** Streams {@code file} to {@code POST /orders:import}, its format told as the local import would decide it. */
    private static JsonNode importThrough(InternalClient server, Path file, boolean strict) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImportException(Files.exists(file) ? "cannot read " + file + ": not a file" : "no such file: " + file);
        }
        String format = isJsonLines(file) ? "jsonl" : "csv";
        return server.upload("/orders:import?format=" + format + "&strict=" + strict, file,
                format.equals("csv") ? "text/csv; charset=UTF-8" : "application/x-ndjson");
    }

    /**
     * As {@code OrderImporter.importFile} decides: {@code .jsonl}/{@code .ndjson} are JSON Lines,
     * {@code .csv} is CSV, any other name is JSON Lines when its first character that is not blank
     * (or a byte-order mark) is an opening brace.
     */
    static boolean isJsonLines(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return true;
        }
        if (name.endsWith(".csv")) {
            return false;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (int i = 0; i < 64 * 1024; i++) {
                int b = in.read();
                if (b == -1) {
                    return false;
                }
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != 0xEF && b != 0xBB && b != 0xBF) {
                    return b == '{';
                }
            }
            return false;
        }
    }
}
