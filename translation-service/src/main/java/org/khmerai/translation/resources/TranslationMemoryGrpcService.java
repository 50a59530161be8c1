package org.khmerai.translation.resources;

import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.proto.ProtoTime;
import org.khmerai.translation.v1.ApproveMemoryProposalsRequest;
import org.khmerai.translation.v1.GlossaryTerm;
import org.khmerai.translation.v1.ListMemoryEntriesRequest;
import org.khmerai.translation.v1.ListMemoryEntriesResponse;
import org.khmerai.translation.v1.ListMemoryProposalsRequest;
import org.khmerai.translation.v1.ListMemoryProposalsResponse;
import org.khmerai.translation.v1.MemoryEntry;
import org.khmerai.translation.v1.MemoryProposal;
import org.khmerai.translation.v1.PutMemoryEntriesRequest;
import org.khmerai.translation.v1.RemoveMemoryEntriesRequest;
import org.khmerai.translation.v1.RemoveMemoryProposalsRequest;
import org.khmerai.translation.v1.ResourceChange;
import org.khmerai.translation.v1.TranslationMemoryServiceGrpc;
import org.springframework.stereotype.Service;

/**
 * Ministry administrators approve translations into their memory here, their own or those that
 * translators proposed ({@link MemoryProposals}); the tenant is the caller's own, from the verified
 * token. An approved sentence is reused word for word from then on, so each entry and each proposal is
 * listed with the glossary terms its translation misses.
 */
@Service
public class TranslationMemoryGrpcService extends TranslationMemoryServiceGrpc.TranslationMemoryServiceImplBase {

    static final int MAX_ENTRIES_PER_PAIR = 1_000_000;
    static final int MAX_SENTENCE_CHARS = 2_000;

    private final ResourceApi memory;
    private final ResourceApi proposals;
    private final ResourceStores stores;

    public TranslationMemoryGrpcService(ResourceStores stores, ResourceCalls calls, Clock clock) {
        this.stores = stores;
        this.memory = new ResourceApi(stores.memories(), calls, clock, MemoryKey::of, MAX_SENTENCE_CHARS, MAX_ENTRIES_PER_PAIR);
        this.proposals = new ResourceApi(stores.proposals(), calls, clock, MemoryKey::of, MAX_SENTENCE_CHARS,
                MemoryProposals.MAX_PER_PAIR);
    }

    @Override
    public void listMemoryEntries(ListMemoryEntriesRequest request, StreamObserver<ListMemoryEntriesResponse> response) {
        GrpcErrors.answer(response, () -> {
            ResourceApi.Page page = memory.page(request.getSourceLanguage(), request.getTargetLanguage(), request.getPageSize(),
                    request.getPageToken());
            Glossary glossary = glossaryFor(page);
            ListMemoryEntriesResponse.Builder entries = ListMemoryEntriesResponse.newBuilder().setNextPageToken(page.nextPageToken());
            page.entries().forEach(entry -> entries.addEntries(MemoryEntry.newBuilder().setSource(entry.source())
                    .setTarget(entry.target()).setApprovedBy(entry.updatedBy()).setApproveTime(ProtoTime.timestamp(entry.updatedAt()))
                    .addAllMissedGlossaryTerms(missedTerms(glossary, entry))));
            return entries.build();
        });
    }

    @Override
    public void putMemoryEntries(PutMemoryEntriesRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> ResourceChange.newBuilder().setChanged(memory.put(request.getSourceLanguage(),
                request.getTargetLanguage(), request.getEntriesList().stream()
                        .map(entry -> new ResourceApi.Given(entry.getSource(), entry.getTarget())).toList())).build());
    }

    @Override
    public void listMemoryProposals(ListMemoryProposalsRequest request, StreamObserver<ListMemoryProposalsResponse> response) {
        GrpcErrors.answer(response, () -> {
            ResourceApi.Page page = proposals.page(request.getSourceLanguage(), request.getTargetLanguage(), request.getPageSize(),
                    request.getPageToken());
            Glossary glossary = glossaryFor(page);
            ListMemoryProposalsResponse.Builder listed = ListMemoryProposalsResponse.newBuilder().setNextPageToken(page.nextPageToken());
            page.entries().forEach(entry -> listed.addProposals(MemoryProposal.newBuilder().setSource(entry.source())
                    .setTarget(entry.target()).setProposedBy(entry.updatedBy()).setProposeTime(ProtoTime.timestamp(entry.updatedAt()))
                    .addAllMissedGlossaryTerms(missedTerms(glossary, entry))));
            return listed.build();
        });
    }

    /** The page's ministry's glossary for its pair as it stands now, read only when the page has entries to check. */
    private Glossary glossaryFor(ResourceApi.Page page) {
        return page.entries().isEmpty() ? Glossary.EMPTY : ResourceCalls.stored(() -> stores.glossary(page.tenant(), page.pair()));
    }

    /** The glossary's terms that an entry's source holds and its target lacks. */
    private static List<GlossaryTerm> missedTerms(Glossary glossary, ResourceEntry entry) {
        return glossary.missedIn(entry.source(), entry.target()).stream().map(GlossaryGrpcService::term).toList();
    }

    @Override
    public void approveMemoryProposals(ApproveMemoryProposalsRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> ResourceChange.newBuilder().setChanged(proposals.moveTo(memory, request.getSourceLanguage(),
                request.getTargetLanguage(), request.getApprovalsList().stream()
                        .map(approval -> new ResourceApi.Given(approval.getSource(), approval.getTarget())).toList())).build());
    }

    @Override
    public void removeMemoryProposals(RemoveMemoryProposalsRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> ResourceChange.newBuilder().setChanged(
                proposals.remove(request.getSourceLanguage(), request.getTargetLanguage(), request.getSourcesList())).build());
    }

    @Override
    public void removeMemoryEntries(RemoveMemoryEntriesRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> ResourceChange.newBuilder().setChanged(
                memory.remove(request.getSourceLanguage(), request.getTargetLanguage(), request.getSourcesList())).build());
    }
}
