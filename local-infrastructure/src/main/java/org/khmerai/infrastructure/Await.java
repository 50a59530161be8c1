package org.khmerai.infrastructure;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** For tests of work that happens on other threads or in other processes: waits until it shows. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, for the failure's message
     * @throws AssertionError when it does not hold within {@code within}
     */
    public static void until(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + within.toSeconds() + " s for " + what);
            }
            Thread.sleep(POLL);
        }
    }
}
