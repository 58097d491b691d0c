package io.leopard.server.cli;

import io.leopard.server.config.LeopardConfig;
import io.leopard.server.order.ImportResult;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.system.Database;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code leopard order import FILE}: load orders from a CSV or JSON Lines file, all or nothing. */
@Command(name = "order", description = "Manage orders.", mixinStandardHelpOptions = true)
public final class OrderCommand {
    private final Supplier<LeopardConfig> configSupplier;

    @ParentCommand
    private Object parent;

    @Spec
    private CommandSpec spec;

    /** For use as a subcommand: the configuration comes from the parent command. */
    public OrderCommand() {
        this(null);
    }

    /** With its own configuration (tests, or a parent that wires it explicitly). */
    public OrderCommand(Supplier<LeopardConfig> configSupplier) {
        this.configSupplier = configSupplier;
    }

    @Command(name = "import", description = "Import orders from a CSV (with header) or JSON Lines file. "
            + "A bad row is reported with its line number and nothing from the file is written.")
    int importFile(@Parameters(paramLabel = "FILE", description = "a .csv, .jsonl or .ndjson file") Path file) {
        return CommandContext.run(spec, () -> {
            LeopardConfig config = CommandContext.config(configSupplier, parent);
            try (Database db = Database.open(config)) {
                ImportResult result = new OrderImporter(new OrderStore(db, config.dbQueryTimeout()), config.zone())
                        .importFile(file);
                spec.commandLine().getOut().println("imported " + file + ": " + result);
                return 0;
            }
        });
    }
}
