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
 * The note a running server leaves in its data folder (pid, start time, URL, and the URL of its
 * internal listener when it has one): {@code demo.running} for {@code leopard demo}, in the demo
 * folder, {@code leopard.running} for {@code leopard serve}. Admin commands on that folder go
 * through the internal listener it names (or, without one, tell the user the database is in use
 * or elsewhere), and a second demo does not wipe the database of the first. It is removed when the
 * server stops; one left by a server that was killed names a process that is gone (or a newer one
 * with the same pid but another start time) and is ignored.
 *
 * @param internalUrl the internal listener's base URL, or {@code null} when it has none
 */
public record DemoRuntime(Path file, long pid, Instant started, String url, String internalUrl) {
    /** The demo's note, in the demo folder. */
    public static final String FILE = "demo.running";
    /** The note of {@code leopard serve}, in its data dir. */
    public static final String SERVER_FILE = "leopard.running";

    /** Writes the demo note of this process, serving at {@code url} without an internal listener, into {@code folder}. */
    public static DemoRuntime write(Path folder, String url) {
        return write(folder, FILE, url, null);
    }

    /**
     * Writes the note {@code name} of this process into {@code folder}: serving at {@code url}, its
     * internal listener at {@code internalUrl} ({@code null}: none).
     */
    public static DemoRuntime write(Path folder, String name, String url, String internalUrl) {
        ProcessHandle self = ProcessHandle.current();
        DemoRuntime runtime = new DemoRuntime(folder.resolve(name), self.pid(), startOf(self), url, internalUrl);
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(runtime.pid));
        p.setProperty("started", runtime.started == null ? "" : runtime.started.toString());
        p.setProperty("url", url);
        p.setProperty("internal-url", internalUrl == null ? "" : internalUrl);
        p.setProperty("data-dir", folder.toAbsolutePath().toString());
        try {
            // written beside and moved into place, so a reader never sees half a note
            Path partial = Files.createTempFile(folder, name, ".partial");
            try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                p.store(w, "leopard: removed when it stops");
            }
            Files.move(partial, runtime.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runtime.file + ": " + e.getMessage(), e);
        }
        return runtime;
    }

    /** The demo running on {@code folder}, if the note there names a live process. */
    public static Optional<DemoRuntime> find(Path folder) {
        return find(folder, FILE);
    }

    /** The server whose note {@code name} is in {@code folder}, if it names a live process. */
    public static Optional<DemoRuntime> find(Path folder, String name) {
        Path file = folder.resolve(name);
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
                .map(h -> new DemoRuntime(file, pid, started, p.getProperty("url", ""),
                        p.getProperty("internal-url", "").isEmpty() ? null : p.getProperty("internal-url")));
    }

    /** Whether the server has an internal listener that admin commands can go through. */
    public boolean hasInternalListener() {
        return internalUrl != null;
    }

    /** Whether this is the note of {@code leopard demo}. */
    public boolean isDemo() {
        return file.getFileName().toString().equals(FILE);
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
