package org.khmerai.audit.query;

import static org.khmerai.platform.error.GrpcErrors.invalid;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.Optional;
import org.khmerai.audit.query.AuditEventQuery.Filter;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.AuditQueryServiceGrpc;
import org.khmerai.audit.v1.ListAuditEventsRequest;
import org.khmerai.audit.v1.ListAuditEventsResponse;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.paging.Paging;
import org.khmerai.platform.paging.Paging.Page;
import org.khmerai.platform.paging.TimeRange;
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
            Page<AuditEvent> page = Page.of(query.find(caller.tenant(), filter(request), Paging.afterId(request.getPageToken()),
                    pageSize + 1), pageSize, AuditEvent::getId);
            return ListAuditEventsResponse.newBuilder().addAllEvents(page.items()).setNextPageToken(page.nextPageToken()).build();
        });
    }

    private static Filter filter(ListAuditEventsRequest request) {
        TimeRange range = TimeRange.of(request.hasFrom() ? request.getFrom() : null, request.hasTo() ? request.getTo() : null);
        Optional<String> status = nonEmpty(request.getStatus());
        status.ifPresent(AuditQueryGrpcService::checkStatus);
        return new Filter(range.from(), range.to(), nonEmpty(request.getService()), nonEmpty(request.getPrincipal()), status);
    }

    private static void checkStatus(String status) {
        if (Arrays.stream(Status.Code.values()).noneMatch(code -> code.name().equals(status))) {
            throw invalid("status must be a gRPC status code name such as OK or PERMISSION_DENIED; got " + status);
        }
    }

    private static Optional<String> nonEmpty(String value) {
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
