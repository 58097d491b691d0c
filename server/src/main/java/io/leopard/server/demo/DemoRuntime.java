package io.leopard.server.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * The note a running demo leaves in its folder ({@code demo.running}: pid, start time, URL), so that
 * admin commands can tell a user who meant the demo's database that it is elsewhere, and a second
 * demo does not wipe the database of the first. It is removed when the demo stops; one left by a
 * demo that was killed names a process that is gone (or a newer one with the same pid but another
 * start time) and is ignored.
 */
public record DemoRuntime(Path file, long pid, Instant started, String url) {
    /** The note's name in the demo folder. */
    public static final String FILE = "demo.running";

    /** Writes the note of this process, serving at {@code url}, into {@code folder}. */
    public static DemoRuntime write(Path folder, String url) {
        ProcessHandle self = ProcessHandle.current();
        DemoRuntime runtime = new DemoRuntime(folder.resolve(FILE), self.pid(), startOf(self), url);
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(runtime.pid));
        p.setProperty("started", runtime.started == null ? "" : runtime.started.toString());
        p.setProperty("url", url);
        p.setProperty("data-dir", folder.toAbsolutePath().toString());
        try {
            // written beside and moved into place, so a reader never sees half a note
            Path partial = Files.createTempFile(folder, FILE, ".partial");
            try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                p.store(w, "leopard demo: removed when it stops");
            }
            Files.move(partial, runtime.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runtime.file + ": " + e.getMessage(), e);
        }
        return runtime;
    }

    /** The demo running on {@code folder}, if the note there names a live process. */
    public static Optional<DemoRuntime> find(Path folder) {
        Path file = folder.resolve(FILE);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // unreadable: not a note a demo wrote, nothing to go by
        }
        long pid;
        Instant started;
        try {
            pid = Long.parseLong(p.getProperty("pid", ""));
            String startedText = p.getProperty("started", "");
            started = startedText.isEmpty() ? null : Instant.parse(startedText);
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> started == null || started.equals(startOf(h)))
                .map(h -> new DemoRuntime(file, pid, started, p.getProperty("url", "")));
    }

    /** Removes the note; failing leaves one that names a dead process, which is ignored. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // ignored: see above
        }
    }

    private static Instant startOf(ProcessHandle h) {
        return h.info().startInstant().orElse(null);
    }
}
