package org.khmerai.translation.resources;

import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.paging.Paging;
import org.khmerai.platform.proto.ProtoTime;
import org.khmerai.platform.security.Caller;
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

    private final ResourceStore glossaries;
    private final ResourceCalls calls;
    private final Clock clock;

    public GlossaryGrpcService(ResourceStores stores, ResourceCalls calls, Clock clock) {
        this.glossaries = stores.glossaries();
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public void listGlossaryTerms(ListGlossaryTermsRequest request, StreamObserver<ListGlossaryTermsResponse> response) {
        GrpcErrors.answer(response, () -> {
            String tenant = Caller.required().tenant();
            LanguagePair pair = calls.pair(request.getSourceLanguage(), request.getTargetLanguage());
            int pageSize = ResourceCalls.PAGING.size(request.getPageSize());
            List<ResourceEntry> fetched = ResourceCalls.stored(() ->
                    glossaries.page(tenant, pair, Paging.after(request.getPageToken()), pageSize + 1));
            ListGlossaryTermsResponse.Builder page = ListGlossaryTermsResponse.newBuilder()
                    .setNextPageToken(ResourceCalls.nextPageToken(fetched, pageSize));
            fetched.stream().limit(pageSize).forEach(term -> page.addTerms(GlossaryTerm.newBuilder().setSource(term.source())
                    .setTarget(term.target()).setAddedBy(term.updatedBy()).setAddTime(ProtoTime.timestamp(term.updatedAt()))));
            return page.build();
        });
    }

    @Override
    public void putGlossaryTerms(PutGlossaryTermsRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            LanguagePair pair = calls.pair(request.getSourceLanguage(), request.getTargetLanguage());
            ResourceCalls.checkCount(request.getTermsCount());
            Instant now = clock.instant();
            Map<String, ResourceEntry> terms = new LinkedHashMap<>(); // a term given twice: the last one holds
            for (GlossaryTerm term : request.getTermsList()) {
                String source = ResourceCalls.checked(term.getSource(), "source", MAX_TERM_CHARS);
                String target = ResourceCalls.checked(term.getTarget(), "target", MAX_TERM_CHARS);
                terms.put(Glossary.key(source), new ResourceEntry(Glossary.key(source), source, target, caller.principal(), now));
            }
            int changed = ResourceCalls.stored(() ->
                    glossaries.put(caller.tenant(), pair, List.copyOf(terms.values()), MAX_TERMS_PER_PAIR));
            return ResourceChange.newBuilder().setChanged(changed).build();
        });
    }

    @Override
    public void removeGlossaryTerms(RemoveGlossaryTermsRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> {
            String tenant = Caller.required().tenant();
            LanguagePair pair = calls.pair(request.getSourceLanguage(), request.getTargetLanguage());
            ResourceCalls.checkCount(request.getSourcesCount());
            List<String> keys = request.getSourcesList().stream().map(Glossary::key).distinct().toList();
            return ResourceChange.newBuilder().setChanged(ResourceCalls.stored(() -> glossaries.remove(tenant, pair, keys))).build();
        });
    }
}
