package io.leopard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the server depend on each other without cycles, as their imports say; the
 * components are given their settings records and never import the package that reads the
 * configuration.
 */
class PackageCyclesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(io\\.leopard\\.server[\\w.]*)\\s*;", Pattern.MULTILINE);

    /** Package → the other io.leopard.server packages it imports from. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher p = PACKAGE.matcher(source);
                if (!p.find()) {
                    continue;
                }
                String pkg = p.group(1);
                Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(source);
                while (m.find()) {
                    String target = packageOf(m.group(1));
                    if (!target.equals(pkg)) {
                        out.add(target);
                    }
                }
            }
        }
        return deps;
    }

    /** The package part of an imported name: the segments before the first capitalised one. */
    private static String packageOf(String name) {
        List<String> parts = new ArrayList<>();
        for (String segment : name.split("\\.")) {
            if (Character.isUpperCase(segment.charAt(0))) {
                break;
            }
            parts.add(segment);
        }
        return String.join(".", parts);
    }

    @Test
    void thereAreNoPackageCycles() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertThat(deps).containsKeys("io.leopard.server", "io.leopard.server.config", "io.leopard.server.web");
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            findCycle(start, start, deps, new ArrayList<>(List.of(start)), new TreeSet<>(), cycles);
        }
        assertThat(cycles).isEmpty();
    }

    private static void findCycle(String start, String at, Map<String, Set<String>> deps, List<String> path, Set<String> seen,
                                  List<String> cycles) {
        for (String next : deps.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (seen.add(next)) {
                path.add(next);
                findCycle(start, next, deps, path, seen, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    @Test
    void onlyTheCommandsAndTheDemoImportTheConfigurationReader() throws IOException {
        Set<String> importers = new TreeSet<>();
        dependencies().forEach((pkg, targets) -> {
            if (targets.contains("io.leopard.server.config")) {
                importers.add(pkg);
            }
        });
        assertThat(importers).containsExactlyInAnyOrder("io.leopard.server.cli", "io.leopard.server.demo");
    }

    @Test
    void theConfigurationErrorDependsOnNothingOfLeopards() throws IOException {
        assertThat(dependencies().get("io.leopard.server.problem")).isEmpty();
    }
}
