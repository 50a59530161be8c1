package org.khmerai.audit.query;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.khmerai.audit.query.AuditEventQuery.Filter;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.AuditQueryServiceGrpc;
import org.khmerai.audit.v1.ListAuditEventsRequest;
import org.khmerai.audit.v1.ListAuditEventsResponse;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.paging.Paging;
import org.khmerai.platform.security.Caller;
import org.springframework.stereotype.Service;

/** The reviewers' query API. The tenant is the caller's own, from the verified token. */
@Service
public class AuditQueryGrpcService extends AuditQueryServiceGrpc.AuditQueryServiceImplBase {

    private static final Paging PAGING = new Paging(50, 500);

    private final AuditEventQuery query;

    public AuditQueryGrpcService(AuditEventQuery query) {
        this.query = query;
    }

    @Override
    public void listAuditEvents(ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            int pageSize = PAGING.size(request.getPageSize());
            List<AuditEvent> events = query.find(caller.tenant(), filter(request), after(request.getPageToken()), pageSize + 1);
            ListAuditEventsResponse.Builder page = ListAuditEventsResponse.newBuilder()
                    .addAllEvents(events.subList(0, Math.min(pageSize, events.size())));
            if (events.size() > pageSize) {
                page.setNextPageToken(Paging.token(events.get(pageSize - 1).getId()));
            }
            return page.build();
        });
    }

    private static Filter filter(ListAuditEventsRequest request) {
        Optional<Instant> from = request.hasFrom() ? Optional.of(instant(request.getFrom())) : Optional.empty();
        Optional<Instant> to = request.hasTo() ? Optional.of(instant(request.getTo())) : Optional.empty();
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw invalid("from must be before to");
        }
        Optional<String> status = nonEmpty(request.getStatus());
        status.ifPresent(AuditQueryGrpcService::checkStatus);
        return new Filter(from, to, nonEmpty(request.getService()), nonEmpty(request.getPrincipal()), status);
    }

    private static void checkStatus(String status) {
        if (Arrays.stream(Status.Code.values()).noneMatch(code -> code.name().equals(status))) {
            throw invalid("status must be a gRPC status code name such as OK or PERMISSION_DENIED; got " + status);
        }
    }

    private static Optional<UUID> after(String pageToken) {
        try {
            return Paging.after(pageToken).map(UUID::fromString);
        } catch (IllegalArgumentException e) {
            throw Paging.notIssuedHere();
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static Optional<String> nonEmpty(String value) {
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static StatusRuntimeException invalid(String detail) {
        return GrpcErrors.exception(PlatformError.INVALID_ARGUMENT, detail);
    }
}
