package org.khmerai.audit.review;

import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.khmerai.audit.review.ReviewQueue.Filter;
import org.khmerai.audit.v1.AuditReviewServiceGrpc;
import org.khmerai.audit.v1.ClaimReviewItemRequest;
import org.khmerai.audit.v1.DecideReviewItemRequest;
import org.khmerai.audit.v1.GetReviewItemRequest;
import org.khmerai.audit.v1.ListReviewItemsRequest;
import org.khmerai.audit.v1.ListReviewItemsResponse;
import org.khmerai.audit.v1.ReleaseReviewItemRequest;
import org.khmerai.audit.v1.ReviewDecision;
import org.khmerai.audit.v1.ReviewItem;
import org.khmerai.audit.v1.ReviewState;
import org.khmerai.audit.v1.Severity;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.paging.Paging;
import org.khmerai.platform.paging.Paging.Page;
import org.khmerai.platform.paging.TimeRange;
import org.khmerai.platform.security.Caller;
import org.springframework.stereotype.Service;

/**
 * The reviewers' API over the review queue. The ministry is the caller's own: an item of another
 * ministry is answered as not found, exactly like an item that does not exist.
 */
@Service
public class AuditReviewGrpcService extends AuditReviewServiceGrpc.AuditReviewServiceImplBase {

    private static final Paging PAGING = new Paging(50, 200);
    static final int MAX_NOTE = 4_000;

    private final ReviewQueue queue;

    public AuditReviewGrpcService(ReviewQueue queue) {
        this.queue = queue;
    }

    @Override
    public void listReviewItems(ListReviewItemsRequest request, StreamObserver<ListReviewItemsResponse> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            int pageSize = PAGING.size(request.getPageSize());
            Page<ReviewItem> page = Page.of(queue.list(caller.tenant(), filter(request, caller), Paging.afterId(request.getPageToken()),
                    pageSize + 1), pageSize, ReviewItem::getEventId);
            return ListReviewItemsResponse.newBuilder().addAllItems(page.items()).setNextPageToken(page.nextPageToken()).build();
        });
    }

    @Override
    public void getReviewItem(GetReviewItemRequest request, StreamObserver<ReviewItem> response) {
        GrpcErrors.answer(response, () -> found(request.getEventId(),
                () -> queue.get(Caller.required().tenant(), eventId(request.getEventId()))));
    }

    @Override
    public void claimReviewItem(ClaimReviewItemRequest request, StreamObserver<ReviewItem> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            return found(request.getEventId(), () -> queue.claim(caller.tenant(), eventId(request.getEventId()), caller.principal()));
        });
    }

    @Override
    public void releaseReviewItem(ReleaseReviewItemRequest request, StreamObserver<ReviewItem> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            return found(request.getEventId(), () -> queue.release(caller.tenant(), eventId(request.getEventId()), caller.principal()));
        });
    }

    @Override
    public void decideReviewItem(DecideReviewItemRequest request, StreamObserver<ReviewItem> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            UUID id = eventId(request.getEventId());
            ReviewDecision decision = request.getDecision();
            if (decision == ReviewDecision.REVIEW_DECISION_UNSPECIFIED || decision == ReviewDecision.UNRECOGNIZED) {
                throw invalid("decision is required: DISMISS, CONFIRM or ESCALATE");
            }
            String note = request.getNote().strip();
            if (note.isEmpty() || note.length() > MAX_NOTE) {
                throw invalid("note must say why, in 1 to " + MAX_NOTE + " characters");
            }
            return found(request.getEventId(), () -> queue.decide(caller.tenant(), id, caller.principal(), decision, note));
        });
    }

    private static ReviewItem found(String eventId, Supplier<Optional<ReviewItem>> item) {
        try {
            return item.get().orElseThrow(() -> GrpcErrors.exception(PlatformError.NOT_FOUND, "no review item for event " + eventId));
        } catch (ReviewQueue.Conflict e) {
            throw GrpcErrors.exception(PlatformError.CONFLICT, e.getMessage());
        }
    }

    private static Filter filter(ListReviewItemsRequest request, Caller caller) {
        TimeRange range = TimeRange.of(request.hasFrom() ? request.getFrom() : null, request.hasTo() ? request.getTo() : null);
        if (request.getState() == ReviewState.UNRECOGNIZED || request.getMinSeverity() == Severity.UNRECOGNIZED) {
            throw invalid("state or min_severity is not one of the contract's values");
        }
        return new Filter(
                request.getState() == ReviewState.REVIEW_STATE_UNSPECIFIED ? Optional.empty() : Optional.of(request.getState()),
                request.getMinSeverity() == Severity.SEVERITY_UNSPECIFIED ? Optional.empty() : Optional.of(request.getMinSeverity()),
                request.getRuleId().isBlank() ? Optional.empty() : Optional.of(request.getRuleId()),
                request.getClaimedByMe() ? Optional.of(caller.principal()) : Optional.empty(),
                range.from(), range.to());
    }

    private static UUID eventId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw invalid("event_id must be an audit event id (a UUID); got \"" + id + "\"");
        }
    }

    private static RuntimeException invalid(String detail) {
        return GrpcErrors.exception(PlatformError.INVALID_ARGUMENT, detail);
    }
}
