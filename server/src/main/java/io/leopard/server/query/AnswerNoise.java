package io.leopard.server.query;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's own random string in every answer: 32 letters and digits from a DRBG (pure Java, no
 * read of /dev/urandom per answer; seeded by the JDK from the operating system).
 *
 * <p>Why several generators, each behind a lock that is tried first: a DRBG enters a monitor of its
 * own on every draw, so one generator shared by every request is a monitor they queue on. On JDK 24
 * and later a virtual thread that finds a monitor taken is rescheduled by the JDK's unblocker
 * thread into the scheduler's shared queue, which the carriers serve only when their own queues run
 * dry; at saturation that wait reached hundreds of milliseconds (docs/PERFORMANCE.md, "The batch
 * tail"); on JDK 21–23 it pins its carrier instead. Here a request takes the first free generator
 * from a random start, so the monitor inside is never contended. A draw does not unmount its
 * virtual thread, so at most one generator per carrier (and per platform thread drawing) is taken
 * at a time: with twice as many as the cores, waiting for one, on a lock whose waiters are woken
 * on the carriers, is the rare case.
 */
final class AnswerNoise {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int LENGTH = 32;

    private final SecureRandom[] randoms;
    private final ReentrantLock[] locks;

    /** {@code stripes} generators. */
    AnswerNoise(int stripes) {
        if (stripes < 1) {
            throw new IllegalArgumentException("stripes < 1: " + stripes);
        }
        randoms = new SecureRandom[stripes];
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            randoms[i] = drbg();
            locks[i] = new ReentrantLock();
        }
    }

    /** As many generators as twice the cores. */
    static AnswerNoise forThisMachine() {
        return new AnswerNoise(2 * Runtime.getRuntime().availableProcessors());
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** 32 letters and digits; 62 × 4 = 248 keeps the mapping of a byte unbiased. */
    String next() {
        byte[] bytes = new byte[48];
        char[] out = new char[LENGTH];
        int n = 0;
        while (n < LENGTH) {
            draw(bytes);
            for (int i = 0; i < bytes.length && n < LENGTH; i++) {
                int b = bytes[i] & 0xFF;
                if (b < 248) {
                    out[n++] = ALPHABET[b % ALPHABET.length];
                }
            }
        }
        return new String(out);
    }

    /** The lock of generator {@code i}: for tests that take them all. */
    ReentrantLock lockOf(int i) {
        return locks[i];
    }

    private void draw(byte[] bytes) {
        int start = randoms.length == 1 ? 0 : ThreadLocalRandom.current().nextInt(randoms.length);
        for (int k = 0; k < randoms.length; k++) {
            int i = (start + k) % randoms.length;
            if (locks[i].tryLock()) {
                try {
                    randoms[i].nextBytes(bytes);
                    return;
                } finally {
                    locks[i].unlock();
                }
            }
        }
        locks[start].lock();
        try {
            randoms[start].nextBytes(bytes);
        } finally {
            locks[start].unlock();
        }
    }
}
