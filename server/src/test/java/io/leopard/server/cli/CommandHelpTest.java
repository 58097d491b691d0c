package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.demo.DemoFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} everywhere in the command tree: a usage with real parameter names and an example. */
class CommandHelpTest {

    /** Every command and subcommand, by the words that reach it ("merchant add"), found by walking the tree. */
    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new LinkedHashMap<>();
        walk(LeopardCommand.commandLine(Map.of()), List.of(), all);
        return all;
    }

    private static void walk(CommandLine command, List<String> words, Map<String, CommandLine> all) {
        all.put(String.join(" ", words), command);
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // aliases are the same command again
                List<String> next = new ArrayList<>(words);
                next.add(name);
                walk(sub, next, all);
            }
        });
    }

    @Test
    void theWalkFindsTheWholeTree() {
        assertThat(commands().keySet()).contains("", "serve", "demo", "sign", "help", "merchant", "merchant add",
                "merchant disable", "merchant enable", "merchant rotate-key", "merchant set-rate", "merchant allow-ips", "merchant set-debug", "merchant set-replay", "merchant set-channel", "merchant remove-channel",
                "merchant list", "merchant set-notify", "notify", "notify list", "notify resend", "order", "order import", "master-key", "master-key generate", "master-key rotate");
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndAnExample() {
        for (String words : commands().keySet()) {
            List<String> args = new ArrayList<>(words.isEmpty() ? List.of() : List.of(words.split(" ")));
            args.add("--help");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = LeopardCommand.commandLine(Map.of());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));

            int code = cli.execute(args.toArray(String[]::new));

            String usage = out.toString();
            assertThat(code).as("exit code of %s; stderr: %s", args, err).isZero();
            assertThat(err.toString()).as("stderr of %s", args).isEmpty();
            assertThat(usage).as("usage of %s", args)
                    .contains("Usage: leopard " + words)
                    .containsPattern("\nExamples?:\n  [^\n]*leopard ")
                    .doesNotContain("<arg").doesNotContain("${");
        }
    }

    /** Picocli wraps a footer line longer than 80 columns, and a wrapped command cannot be pasted. */
    @Test
    void everyExampleFitsOnItsLineWhenTheLauncherNamesTheProgram() {
        withProgram("./leopard", () -> {
            for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
                String usage = c.getValue().getUsageMessage();
                String examples = usage.substring(usage.indexOf("Example"));
                assertThat(examples.lines().skip(1).filter(l -> !l.isEmpty()))
                        .as("examples of '%s'", c.getKey())
                        .allSatisfy(l -> assertThat(l.startsWith("  ") || l.endsWith(":")).as(l).isTrue());
            }
        });
    }

    @Test
    void theUsageNamesParametersAsTheyAreMeant() {
        assertThat(CommandHelpTest.commands().get("merchant add").getUsageMessage())
                .contains("--mid=MID").contains("--name=NAME").contains("[--key=KEY]")
                .contains("leopard merchant add --mid " + DemoFixture.MID + " --name \"Demo shop\"");
        assertThat(CommandHelpTest.commands().get("order import").getUsageMessage())
                .contains("leopard order import [-hV] [--strict] [--config=FILE] [--server=URL]")
                .contains("[--token=TOKEN] FILE")
                .contains("\n  mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime\n");
    }

    @Test
    void theProgramIsNamedAsTheLauncherWasCalled() {
        withProgram("./leopard", () -> {
            String usage = LeopardCommand.commandLine(Map.of()).getSubcommands().get("merchant")
                    .getSubcommands().get("list").getUsageMessage();
            assertThat(usage).startsWith("Usage: ./leopard merchant list").contains("\n  ./leopard merchant list");
        });
    }

    private static void withProgram(String program, Runnable check) {
        String before = System.getProperty(CommandContext.PROGRAM);
        System.setProperty(CommandContext.PROGRAM, program);
        try {
            check.run();
        } finally {
            if (before == null) {
                System.clearProperty(CommandContext.PROGRAM);
            } else {
                System.setProperty(CommandContext.PROGRAM, before);
            }
        }
    }
}
