package org.khmerai.platform.audit;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds, then randomness, so ids sort by time. */
public final class UuidV7 {

    private static final SecureRandom RANDOM = new SecureRandom();

    private UuidV7() {
    }

    public static UUID at(Instant time) {
        long millis = time.toEpochMilli();
        long randomA = RANDOM.nextInt(1 << 12);
        long mostSignificant = (millis << 16) | (0x7L << 12) | randomA;
        long leastSignificant = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant);
    }
}
