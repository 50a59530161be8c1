package org.khmerai.audit.query;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
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
import org.khmerai.platform.security.Caller;
import org.springframework.stereotype.Service;

/** The reviewers' query API. The tenant is the caller's own, from the verified token. */
@Service
public class AuditQueryGrpcService extends AuditQueryServiceGrpc.AuditQueryServiceImplBase {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;

    private final AuditEventQuery query;

    public AuditQueryGrpcService(AuditEventQuery query) {
        this.query = query;
    }

    @Override
    public void listAuditEvents(ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.current().orElseThrow(() ->
                    GrpcErrors.exception(PlatformError.MISSING_TOKEN, "the audit query needs an authenticated caller"));
            int pageSize = pageSize(request.getPageSize());
            List<AuditEvent> events = query.find(caller.tenant(), filter(request), after(request.getPageToken()), pageSize + 1);
            ListAuditEventsResponse.Builder page = ListAuditEventsResponse.newBuilder()
                    .addAllEvents(events.subList(0, Math.min(pageSize, events.size())));
            if (events.size() > pageSize) {
                page.setNextPageToken(token(events.get(pageSize - 1).getId()));
            }
            return page.build();
        });
    }

    private static int pageSize(int requested) {
        if (requested < 0 || requested > MAX_PAGE_SIZE) {
            throw invalid("page_size must be between 1 and " + MAX_PAGE_SIZE + "; got " + requested);
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
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

    /** Page tokens are opaque to callers: the id of the last event they saw. */
    private static Optional<UUID> after(String pageToken) {
        if (pageToken.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException e) {
            throw invalid("page_token is not one this service issued");
        }
    }

    private static String token(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
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
