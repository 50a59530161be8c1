package org.khmerai.platform.proto;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Between {@link Instant} and {@code google.protobuf.Timestamp}, to the nanosecond both ways. */
public final class ProtoTime {

    private ProtoTime() {
    }

    public static Timestamp timestamp(Instant time) {
        return Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()).build();
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
