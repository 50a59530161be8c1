package org.khmerai.platform.paging;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.proto.ProtoTime;

/** The optional {@code from} (inclusive) and {@code to} (exclusive) of a list method's request. */
public record TimeRange(Optional<Instant> from, Optional<Instant> to) {

    /**
     * @param from null when the request has none
     * @param to   null when the request has none
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when both are given and from is not before to
     */
    public static TimeRange of(Timestamp from, Timestamp to) {
        TimeRange range = new TimeRange(Optional.ofNullable(from).map(ProtoTime::instant), Optional.ofNullable(to).map(ProtoTime::instant));
        if (range.from.isPresent() && range.to.isPresent() && !range.from.get().isBefore(range.to.get())) {
            throw GrpcErrors.exception(PlatformError.INVALID_ARGUMENT, "from must be before to");
        }
        return range;
    }
}
