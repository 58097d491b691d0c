package io.leopard.server.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A second process holding a lock on a file, as a running server holds its embedded database:
 * prints "locked" once it has the lock and keeps it until its standard input closes.
 */
public final class FileLockHolder {
    private FileLockHolder() {
    }

    @SuppressWarnings("try") // the lock is never read: holding it until the try ends is its whole purpose
    public static void main(String[] args) throws IOException {
        try (FileChannel file = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock held = file.lock()) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // hold the lock until the parent closes our input
            }
        }
    }

    /** Starts the holder on {@code file} and returns once it holds the lock. */
    public static Process hold(Path file) throws IOException {
        Path javaCommand = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaCommand.toString(), "-cp", System.getProperty("java.class.path"),
                FileLockHolder.class.getName(), file.toString()).redirectErrorStream(true).start();
        byte[] expected = "locked".getBytes(StandardCharsets.US_ASCII);
        byte[] got = p.getInputStream().readNBytes(expected.length);
        if (!Arrays.equals(expected, got)) {
            p.destroyForcibly();
            throw new IOException("the lock holder did not start: " + new String(got, StandardCharsets.US_ASCII));
        }
        return p;
    }
}
