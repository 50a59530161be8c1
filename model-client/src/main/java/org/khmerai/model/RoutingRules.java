package org.khmerai.model;

import java.time.Duration;

/**
 * How {@link ModelRouter} falls back through the servers of an alias.
 *
 * @param firstTokenTimeout how long a server may take to its first token before the next one is tried
 * @param maxAttempts       how many tries a call gets in all, across the alias's servers
 * @param failuresToOpen    consecutive failures after which a server is skipped for {@code openFor}
 * @param openFor           how long a failing server is skipped before it is tried again
 */
public record RoutingRules(Duration firstTokenTimeout, int maxAttempts, int failuresToOpen, Duration openFor) {

    public RoutingRules {
        if (maxAttempts < 1 || failuresToOpen < 1 || firstTokenTimeout.isNegative() || openFor.isNegative()) {
            throw new IllegalArgumentException("routing rules need at least one attempt, one failure to open, and no negative time: "
                    + firstTokenTimeout + ", " + maxAttempts + ", " + failuresToOpen + ", " + openFor);
        }
    }
}
