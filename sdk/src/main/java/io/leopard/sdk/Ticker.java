package io.leopard.sdk;

import java.util.concurrent.TimeUnit;

/** Time and sleep: the seam that lets tests run retries and polling without sleeping. */
interface Ticker {
    long nanoTime();

    void sleep(long nanos) throws InterruptedException;

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };
}
