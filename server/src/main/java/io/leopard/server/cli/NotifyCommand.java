package io.leopard.server.cli;

import io.leopard.server.cli.EmbeddedDatabaseGuard.Need;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.internal.NotificationEndpoints;
import io.leopard.server.notify.NotifyLog;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code leopard notify ...}: the merchants' notifications, what became of them and resending one.
 * Like {@code leopard merchant}, through a running server's internal listener when one is found
 * (or given with {@code --server}), else on the database, where a running server's deliverer takes
 * a resent notification up within a second.
 */
@Command(name = "notify", description = "See merchants' notifications and resend them.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  ${COMMAND-FULL-NAME} list --mid " + DemoFixture.MID + " --failed",
                "  ${COMMAND-FULL-NAME} resend --event F2026120100001-2"})
public final class NotifyCommand {
    /** The widest last-attempt text a table line shows; the internal API has it whole. */
    static final int LAST_WIDTH = 80;
    private final Supplier<LeopardConfig> configSupplier;

    @Spec
    private CommandSpec spec;

    public NotifyCommand(Supplier<LeopardConfig> configSupplier) {
        this.configSupplier = configSupplier;
    }

    @Command(name = "list", description = "A merchant's latest notifications, newest first: the event, the order, its status "
            + "then, the delivery's state, the attempts and what the last one came to.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = {"  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID, "  ${COMMAND-FULL-NAME} --mid " + DemoFixture.MID
                    + " --failed --limit 200"})
    int list(@Option(names = "--mid", required = true, paramLabel = "MID", description = "15-digit merchant number") String mid,
             @Option(names = "--failed", description = "only those whose last attempt failed (given up, or waiting to be retried)")
             boolean failed,
             @Option(names = "--limit", paramLabel = "N", defaultValue = "" + NotificationEndpoints.DEFAULT_LIMIT,
                     description = "how many, 1 to " + NotifyLog.MAX_LIMIT + " (default ${DEFAULT-VALUE})") int limit,
             @Mixin RemoteOptions remote) {
        return withAdmin(remote, admin -> {
            List<NotifyLog.Delivery> all = admin.list(mid, failed, limit);
            PrintWriter out = out();
            String line = "%-36s  %-32s  %-8s  %-9s  %8s  %s%n";
            out.printf(line, "EVENT", "ORDER", "STATUS", "STATE", "ATTEMPTS", "LAST ATTEMPT");
            for (NotifyLog.Delivery d : all) {
                out.printf(line, d.eventId(), d.orderNo(), d.status(), d.state().toLowerCase(java.util.Locale.ROOT), d.attempts(),
                        last(d));
            }
            if (all.isEmpty()) {
                out.println(failed ? "(no failing notifications)" : "(no notifications)");
            }
            return 0;
        });
    }

    @Command(name = "resend", description = "Send a notification again: pending, due now, to the merchant's notify URL as "
            + "it is now, with the retry schedule from its start (earlier attempts stay in the log). A delivered one is "
            + "sent again; a change that had no notification (no URL then) gets one.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE,
            footer = "  ${COMMAND-FULL-NAME} --event F2026120100001-2")
    int resend(@Option(names = "--event", required = true, paramLabel = "EVENT", description = "the eventId, <flowNo>-<version>")
               String event,
               @Mixin RemoteOptions remote) {
        return withAdmin(remote, admin -> {
            NotifyLog.Delivery d = admin.resend(event);
            out().println("notification " + d.eventId() + " (merchant " + d.mid() + ", order " + d.orderNo() + ", " + d.status()
                    + ") is pending again, due now, to " + d.url());
            return 0;
        });
    }

    /** What the last attempt came to, on one line: "-" before any, or once delivered. */
    static String last(NotifyLog.Delivery d) {
        if (d.log().isEmpty() || "DELIVERED".equals(d.state())) {
            return "-";
        }
        NotifyLog.Attempt a = d.log().get(d.log().size() - 1);
        String text = a.error() != null ? a.error()
                : "HTTP " + a.httpStatus() + (a.answer() == null || a.answer().isEmpty() ? "" : ": " + a.answer());
        text = text.replaceAll("\\s+", " ");
        return text.length() <= LAST_WIDTH ? text : text.substring(0, LAST_WIDTH - 3) + "...";
    }

    private int withAdmin(RemoteOptions remote, Function<NotifyAdmin, Integer> action) {
        LeopardConfig config = configSupplier.get();
        InternalClient server = AdminTarget.remote(config, remote);
        if (server != null) {
            return action.apply(new NotifyAdmin.Remote(server));
        }
        try (AdminSession session = new AdminSession(config, spec, Need.EXISTING)) {
            return action.apply(new NotifyAdmin.Local(new NotifyLog(session.database()), session.merchants()));
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
