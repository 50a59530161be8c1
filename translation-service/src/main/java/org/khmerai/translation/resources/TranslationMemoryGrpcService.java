package org.khmerai.translation.resources;

import io.grpc.stub.StreamObserver;
import java.time.Clock;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.proto.ProtoTime;
import org.khmerai.translation.v1.ListMemoryEntriesRequest;
import org.khmerai.translation.v1.ListMemoryEntriesResponse;
import org.khmerai.translation.v1.MemoryEntry;
import org.khmerai.translation.v1.PutMemoryEntriesRequest;
import org.khmerai.translation.v1.RemoveMemoryEntriesRequest;
import org.khmerai.translation.v1.ResourceChange;
import org.khmerai.translation.v1.TranslationMemoryServiceGrpc;
import org.springframework.stereotype.Service;

/**
 * Ministry administrators approve translations into their memory here; the tenant is the caller's
 * own, from the verified token. An approved sentence is reused word for word from then on.
 */
@Service
public class TranslationMemoryGrpcService extends TranslationMemoryServiceGrpc.TranslationMemoryServiceImplBase {

    static final int MAX_ENTRIES_PER_PAIR = 1_000_000;
    private static final int MAX_SENTENCE_CHARS = 2_000;

    private final ResourceApi memory;

    public TranslationMemoryGrpcService(ResourceStores stores, ResourceCalls calls, Clock clock) {
        this.memory = new ResourceApi(stores.memories(), calls, clock, MemoryKey::of, MAX_SENTENCE_CHARS, MAX_ENTRIES_PER_PAIR);
    }

    @Override
    public void listMemoryEntries(ListMemoryEntriesRequest request, StreamObserver<ListMemoryEntriesResponse> response) {
        GrpcErrors.answer(response, () -> {
            ResourceApi.Page page = memory.page(request.getSourceLanguage(), request.getTargetLanguage(), request.getPageSize(),
                    request.getPageToken());
            ListMemoryEntriesResponse.Builder entries = ListMemoryEntriesResponse.newBuilder().setNextPageToken(page.nextPageToken());
            page.entries().forEach(entry -> entries.addEntries(MemoryEntry.newBuilder().setSource(entry.source())
                    .setTarget(entry.target()).setApprovedBy(entry.updatedBy()).setApproveTime(ProtoTime.timestamp(entry.updatedAt()))));
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
    public void removeMemoryEntries(RemoveMemoryEntriesRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> ResourceChange.newBuilder().setChanged(
                memory.remove(request.getSourceLanguage(), request.getTargetLanguage(), request.getSourcesList())).build());
    }
}
