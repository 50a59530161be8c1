package org.khmerai.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Skips a model server that keeps failing: after {@code failuresToOpen} failures in a row it is left
 * alone for {@code openFor}, then one call tries it again (half open) and its outcome decides.
 */
final class CircuitBreaker {

    private final int failuresToOpen;
    private final Duration openFor;
    private final Clock clock;
    private int failures;
    private Instant openUntil = Instant.MIN;

    CircuitBreaker(int failuresToOpen, Duration openFor, Clock clock) {
        this.failuresToOpen = failuresToOpen;
        this.openFor = openFor;
        this.clock = clock;
    }

    synchronized boolean allows() {
        return !clock.instant().isBefore(openUntil);
    }

    synchronized void succeeded() {
        failures = 0;
        openUntil = Instant.MIN;
    }

    synchronized void failed() {
        failures++;
        if (failures >= failuresToOpen) {
            openUntil = clock.instant().plus(openFor);
        }
    }
}
