package io.leopard.server.cli;

import io.leopard.server.config.LeopardConfig;
import io.leopard.server.order.ImportResult;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code leopard order import FILE}: load orders from a CSV or JSON Lines file, all or nothing. */
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
                   boolean strict) {
        try (AdminSession session = new AdminSession(configSupplier.get(), spec, EmbeddedDatabaseGuard.Need.MAY_CREATE)) {
            ImportResult result = session.importer().importFile(file, strict);
            spec.commandLine().getOut().println("imported " + file + ": " + result);
            result.backwardsLines().forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }
}
