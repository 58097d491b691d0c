package io.leopard.server.logging;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Log lines to standard error, written in blocks instead of one {@code write(2)} per line.
 *
 * <p>Logback's {@code ConsoleAppender} goes through {@code System.err}, which flushes after every
 * write: one system call per access-log line, which at 30,000 requests/s cost the log writer a
 * quarter of a core (docs/PERFORMANCE.md). Here lines collect in a 64 KiB buffer that is handed to
 * {@code System.err} when it fills, every {@code flushMillis} (default 100) and when logging stops,
 * so a quiet server still shows each line within a tenth of a second and nothing is lost at exit.
 * {@code System.err} is looked up on every block, so a redirected standard error still gets them.
 */
public final class BufferedStderrAppender<E> extends OutputStreamAppender<E> {
    private static final int BUFFER_BYTES = 64 * 1024;

    private long flushMillis = 100;
    private ScheduledExecutorService flusher;

    /** How often buffered lines are written out when the buffer does not fill first. */
    public void setFlushMillis(long flushMillis) {
        this.flushMillis = flushMillis;
    }

    @Override
    public void start() {
        if (flushMillis <= 0) {
            addError("flushMillis must be positive, was " + flushMillis);
            return;
        }
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new CurrentStderr(), BUFFER_BYTES));
        super.start();
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "log-flusher");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flushNow, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
            flusher = null;
        }
        flushNow();
        super.stop();
    }

    private void flushNow() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            addError("could not flush standard error", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    /** Standard error as it is now; never closed, since it is not ours. */
    private static final class CurrentStderr extends OutputStream {
        @Override
        public void write(int b) {
            System.err.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.err.write(b, off, len);
        }

        @Override
        public void flush() {
            System.err.flush();
        }
    }
}
