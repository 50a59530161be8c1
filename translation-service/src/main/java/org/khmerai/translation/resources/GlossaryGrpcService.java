package org.khmerai.translation.resources;

import io.grpc.stub.StreamObserver;
import java.time.Clock;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.proto.ProtoTime;
import org.khmerai.translation.v1.GlossaryServiceGrpc;
import org.khmerai.translation.v1.GlossaryTerm;
import org.khmerai.translation.v1.ListGlossaryTermsRequest;
import org.khmerai.translation.v1.ListGlossaryTermsResponse;
import org.khmerai.translation.v1.PutGlossaryTermsRequest;
import org.khmerai.translation.v1.RemoveGlossaryTermsRequest;
import org.khmerai.translation.v1.ResourceChange;
import org.springframework.stereotype.Service;

/** Ministry administrators keep their glossary here; the tenant is the caller's own, from the verified token. */
@Service
public class GlossaryGrpcService extends GlossaryServiceGrpc.GlossaryServiceImplBase {

    static final int MAX_TERMS_PER_PAIR = 2_000;
    private static final int MAX_TERM_CHARS = 200;

    private final ResourceApi glossary;

    public GlossaryGrpcService(ResourceStores stores, ResourceCalls calls, Clock clock) {
        this.glossary = new ResourceApi(stores.glossaries(), calls, clock, Glossary::key, MAX_TERM_CHARS, MAX_TERMS_PER_PAIR);
    }

    @Override
    public void listGlossaryTerms(ListGlossaryTermsRequest request, StreamObserver<ListGlossaryTermsResponse> response) {
        GrpcErrors.answer(response, () -> {
            ResourceApi.Page page = glossary.page(request.getSourceLanguage(), request.getTargetLanguage(), request.getPageSize(),
                    request.getPageToken());
            ListGlossaryTermsResponse.Builder terms = ListGlossaryTermsResponse.newBuilder().setNextPageToken(page.nextPageToken());
            page.entries().forEach(term -> terms.addTerms(term(term)));
            return terms.build();
        });
    }

    static GlossaryTerm term(ResourceEntry term) {
        return GlossaryTerm.newBuilder().setSource(term.source()).setTarget(term.target()).setAddedBy(term.updatedBy())
                .setAddTime(ProtoTime.timestamp(term.updatedAt())).build();
    }

    @Override
    public void putGlossaryTerms(PutGlossaryTermsRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> ResourceChange.newBuilder().setChanged(glossary.put(request.getSourceLanguage(),
                request.getTargetLanguage(), request.getTermsList().stream()
                        .map(term -> new ResourceApi.Given(term.getSource(), term.getTarget())).toList())).build());
    }

    @Override
    public void removeGlossaryTerms(RemoveGlossaryTermsRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> ResourceChange.newBuilder().setChanged(
                glossary.remove(request.getSourceLanguage(), request.getTargetLanguage(), request.getSourcesList())).build());
    }
}
