package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.demo.DemoRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Admin commands on the default embedded database never quietly use another database than the
 * user meant, and never create one just to say it is empty. The demo beside them is this very
 * process, noted as a running demo would note itself.
 */
class EmbeddedDatabaseGuardTest {
    @TempDir
    Path dir;
    private String out;
    private String err;

    private Path data() {
        return dir.resolve("data");
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cli = LeopardCommand.commandLine(Map.of("LEOPARD_DATA_DIR", data().toString()));
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int code = cli.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void commandsThatNeedDataSaySoOnAFreshDataDirAndCreateNothing() {
        assertThat(run("merchant", "list")).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).isEqualTo("leopard merchant list: no database in " + data() + "/ yet (leopard.mv.db): add a merchant"
                + " first with leopard merchant add --mid MID --name NAME, or point --config, LEOPARD_DATA_DIR or"
                + " LEOPARD_DB_URL at your database\n");
        assertThat(run("merchant", "disable", "--mid", "100000000000001")).isEqualTo(1);
        assertThat(err).startsWith("leopard merchant disable: no database in ");
        assertThat(run("master-key", "rotate")).isEqualTo(1);
        assertThat(err).startsWith("leopard master-key rotate: no database in ");
        assertThat(data()).as("no database, no master key, not even the folder").doesNotExist();

        assertThat(run("merchant", "add", "--mid", "100000000000001", "--name", "Shop")).isZero();
        assertThat(run("merchant", "list")).isZero();
        assertThat(out).contains("100000000000001");
    }

    @Test
    void aFreshDataDirPointsAtTheLastDemosDatabase() throws Exception {
        Files.createDirectories(data().resolve("demo"));
        Files.writeString(data().resolve("demo/leopard.mv.db"), "");
        assertThat(run("merchant", "list")).isEqualTo(1);
        assertThat(err).endsWith("; the last demo's database is in " + data().resolve("demo")
                + "/: LEOPARD_DATA_DIR=" + data().resolve("demo") + " leopard merchant list\n");
    }

    @Test
    void withADemoRunningAdminCommandsRefuseAndNameTheCommandThatReachesIt() throws Exception {
        Path orders = Files.writeString(dir.resolve("my orders.csv"), "");
        Path demo = Files.createDirectories(data().resolve("demo"));
        DemoRuntime running = DemoRuntime.write(demo, "http://127.0.0.1:18080");
        try {
            assertThat(run("order", "import", orders.toString())).isEqualTo(1);
            assertThat(err).isEqualTo("leopard order import: a demo is running at http://127.0.0.1:18080 (pid "
                    + ProcessHandle.current().pid() + ") on its own database in " + demo + "/, and this command would"
                    + " use the one in " + data() + "/ instead. For the demo's: stop it (Ctrl-C where it runs),"
                    + " run LEOPARD_DATA_DIR=" + demo + " leopard order import '" + orders + "' and serve it with"
                    + " LEOPARD_DATA_DIR=" + demo + " leopard serve; for " + data() + "/, stop the demo first\n");
            assertThat(run("merchant", "add", "--mid", "100000000000001", "--name", "Shop", "--key", "secretkey1")).isEqualTo(1);
            assertThat(err).contains("merchant add --mid 100000000000001 --name Shop --key KEY and serve")
                    .doesNotContain("secretkey1");
            assertThat(run("merchant", "list")).isEqualTo(1);
            assertThat(run("master-key", "rotate")).isEqualTo(1);
            assertThat(data().resolve("leopard.mv.db")).as("nothing was written beside the demo").doesNotExist();
            assertThat(run("master-key", "generate")).as("touches no database").isZero();
        } finally {
            running.delete();
        }
        assertThat(run("merchant", "add", "--mid", "100000000000001", "--name", "Shop", "--key", "secretkey1"))
                .as("once the demo stopped").isZero();
    }

    @Test
    void aDemoWithAnInternalListenerIsReachedFromItsOwnFolder() throws Exception {
        Path demo = Files.createDirectories(data().resolve("demo"));
        DemoRuntime running = DemoRuntime.write(demo, DemoRuntime.FILE, "http://127.0.0.1:18080", "http://127.0.0.1:18081");
        try {
            assertThat(run("merchant", "list")).isEqualTo(1);
            assertThat(err).isEqualTo("leopard merchant list: a demo is running at http://127.0.0.1:18080 (pid "
                    + ProcessHandle.current().pid() + ") on its own database in " + demo + "/, and this command would use the one in "
                    + data() + "/ instead. For the demo's, run LEOPARD_DATA_DIR=" + demo + " leopard merchant list (it goes"
                    + " through the demo's internal listener); for " + data() + "/, stop the demo first\n");
            assertThat(data().resolve("leopard.mv.db")).doesNotExist();
        } finally {
            running.delete();
        }
    }

    @Test
    void onTheDemosOwnDatabaseTheyAskToStopTheDemo() throws Exception {
        Path demo = Files.createDirectories(data().resolve("demo"));
        DemoRuntime running = DemoRuntime.write(demo, "http://127.0.0.1:18080");
        try {
            StringWriter e = new StringWriter();
            CommandLine cli = LeopardCommand.commandLine(Map.of("LEOPARD_DATA_DIR", demo.toString()));
            cli.setErr(new PrintWriter(e, true));
            assertThat(cli.execute("merchant", "list")).isEqualTo(1);
            assertThat(e.toString()).isEqualTo("leopard merchant list: the demo running at http://127.0.0.1:18080 (pid "
                    + ProcessHandle.current().pid() + ") has this database open: stop it (Ctrl-C where it runs), then run the command again\n");
        } finally {
            running.delete();
        }
    }

    @Test
    void aDatabaseServerIsLeftAlone() {
        StringWriter e = new StringWriter();
        CommandLine cli = LeopardCommand.commandLine(Map.of("LEOPARD_DATA_DIR", data().toString(),
                "LEOPARD_DB_URL", "jdbc:postgresql://127.0.0.1:1/none", "LEOPARD_DB_CONNECT_TIMEOUT", "500ms",
                "LEOPARD_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        cli.setErr(new PrintWriter(e, true));
        assertThat(cli.execute("merchant", "list")).isEqualTo(1);
        assertThat(e.toString()).as("it tried the server").startsWith("leopard merchant list: cannot connect to database");
    }
}
