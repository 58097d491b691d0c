package io.leopard.server.cli;

import io.leopard.server.demo.DemoFolder;
import io.leopard.server.demo.DemoRuntime;
import io.leopard.server.store.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * What an admin command checks before it opens the default embedded database, where opening it
 * would quietly do something other than the user meant:
 * <ul>
 * <li>a demo is running: it has a database of its own ({@code data/demo}), so changes made here
 * would never reach it. The command refuses and names the one that would.
 * <li>the command needs data that is not there ({@code merchant list} on a fresh clone): opening
 * the database would create it and a master key. The command says so instead.
 * </ul>
 * A database server (PostgreSQL, MariaDB) is left alone: the commands run beside the servers.
 * A server that holds the embedded file open is caught when it is opened ({@code Database.withHint}).
 */
final class EmbeddedDatabaseGuard {
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    /** Whether the command may create the database, or needs one that holds data already. */
    enum Need { MAY_CREATE, EXISTING }

    private EmbeddedDatabaseGuard() {
    }

    /** Throws, with one line saying what to do instead, when the command should not go on. */
    static void check(DatabaseSettings database, CommandSpec spec, Need need) {
        Path dbFile = database.defaultEmbeddedDbFile();
        if (dbFile == null) {
            return;
        }
        Path dataDir = database.dataDir();
        Optional<DemoRuntime> here = DemoRuntime.find(dataDir);
        if (here.isPresent()) {
            throw new IllegalStateException("the demo running at " + here.get().url() + " (pid " + here.get().pid()
                    + ") has this database open: stop it (Ctrl-C where it runs), then run the command again");
        }
        Path demoDir = DemoFolder.of(dataDir);
        Optional<DemoRuntime> demo = DemoRuntime.find(demoDir);
        if (demo.isPresent() && demo.get().hasInternalListener()) {
            throw new IllegalStateException("a demo is running at " + demo.get().url() + " (pid " + demo.get().pid()
                    + ") on its own database in " + folder(demoDir) + ", and this command would use the one in "
                    + folder(dataDir) + " instead. For the demo's, run " + typed(spec, demoDir)
                    + " (it goes through the demo's internal listener); for " + folder(dataDir) + ", stop the demo first");
        }
        if (demo.isPresent()) {
            throw new IllegalStateException("a demo is running at " + demo.get().url() + " (pid " + demo.get().pid()
                    + ") on its own database in " + folder(demoDir) + ", and this command would use the one in "
                    + folder(dataDir) + " instead. For the demo's: stop it (Ctrl-C where it runs), run " + typed(spec, demoDir)
                    + " and serve it with LEOPARD_DATA_DIR=" + quoted(demoDir.toString()) + " " + programName(spec)
                    + " serve; for " + folder(dataDir) + ", stop the demo first");
        }
        if (need == Need.EXISTING && !Files.exists(dbFile)) {
            String demoHint = Files.exists(demoDir.resolve(dbFile.getFileName()))
                    ? "; the last demo's database is in " + folder(demoDir) + ": " + typed(spec, demoDir) : "";
            throw new IllegalStateException("no database in " + folder(dataDir) + " yet (" + dbFile.getFileName()
                    + "): add a merchant first with " + programName(spec) + " merchant add --mid MID --name NAME,"
                    + " or point --config, LEOPARD_DATA_DIR or LEOPARD_DB_URL at your database" + demoHint);
        }
    }

    /**
     * The command line the user typed, ready to paste, on {@code dataDir}. A key given with --key
     * is not repeated: error lines never carry keys.
     */
    private static String typed(CommandSpec spec, Path dataDir) {
        List<String> words = new ArrayList<>();
        words.add("LEOPARD_DATA_DIR=" + quoted(dataDir.toString()));
        words.add(programName(spec));
        if (!(spec.root().userObject() instanceof LeopardCommand)) {
            words.add(spec.root().name());
        }
        ParseResult parsed = spec.root().commandLine().getParseResult();
        boolean keyNext = false;
        for (String arg : parsed == null ? List.<String>of() : parsed.originalArgs()) {
            if (keyNext || arg.startsWith("--key=")) {
                words.add(keyNext ? "KEY" : "--key=KEY");
            } else {
                words.add(quoted(arg));
            }
            keyNext = arg.equals("--key");
        }
        return String.join(" ", words);
    }

    /** {@code ./leopard} as the launcher was called; {@code leopard} for a subcommand run on its own (tests). */
    private static String programName(CommandSpec spec) {
        CommandSpec root = spec.root();
        return root.userObject() instanceof LeopardCommand ? root.name() : "leopard";
    }

    /** A folder as prose names it: {@code data/}. */
    private static String folder(Path dir) {
        return dir.toString().endsWith("/") ? dir.toString() : dir + "/";
    }

    private static String quoted(String word) {
        return PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
