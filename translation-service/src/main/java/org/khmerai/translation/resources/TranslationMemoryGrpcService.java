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

    private final ResourceStore memories;
    private final ResourceCalls calls;
    private final Clock clock;

    public TranslationMemoryGrpcService(ResourceStores stores, ResourceCalls calls, Clock clock) {
        this.memories = stores.memories();
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public void listMemoryEntries(ListMemoryEntriesRequest request, StreamObserver<ListMemoryEntriesResponse> response) {
        GrpcErrors.answer(response, () -> {
            String tenant = Caller.required().tenant();
            LanguagePair pair = calls.pair(request.getSourceLanguage(), request.getTargetLanguage());
            int pageSize = ResourceCalls.PAGING.size(request.getPageSize());
            List<ResourceEntry> fetched = ResourceCalls.stored(() ->
                    memories.page(tenant, pair, Paging.after(request.getPageToken()), pageSize + 1));
            ListMemoryEntriesResponse.Builder page = ListMemoryEntriesResponse.newBuilder()
                    .setNextPageToken(ResourceCalls.nextPageToken(fetched, pageSize));
            fetched.stream().limit(pageSize).forEach(entry -> page.addEntries(MemoryEntry.newBuilder().setSource(entry.source())
                    .setTarget(entry.target()).setApprovedBy(entry.updatedBy()).setApproveTime(ProtoTime.timestamp(entry.updatedAt()))));
            return page.build();
        });
    }

    @Override
    public void putMemoryEntries(PutMemoryEntriesRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            LanguagePair pair = calls.pair(request.getSourceLanguage(), request.getTargetLanguage());
            ResourceCalls.checkCount(request.getEntriesCount());
            Instant now = clock.instant();
            Map<String, ResourceEntry> entries = new LinkedHashMap<>(); // a sentence given twice: the last one holds
            for (MemoryEntry entry : request.getEntriesList()) {
                String source = ResourceCalls.checked(entry.getSource(), "source", MAX_SENTENCE_CHARS);
                String target = ResourceCalls.checked(entry.getTarget(), "target", MAX_SENTENCE_CHARS);
                entries.put(MemoryKey.of(source), new ResourceEntry(MemoryKey.of(source), source, target, caller.principal(), now));
            }
            int changed = ResourceCalls.stored(() ->
                    memories.put(caller.tenant(), pair, List.copyOf(entries.values()), MAX_ENTRIES_PER_PAIR));
            return ResourceChange.newBuilder().setChanged(changed).build();
        });
    }

    @Override
    public void removeMemoryEntries(RemoveMemoryEntriesRequest request, StreamObserver<ResourceChange> response) {
        GrpcErrors.answer(response, () -> {
            String tenant = Caller.required().tenant();
            LanguagePair pair = calls.pair(request.getSourceLanguage(), request.getTargetLanguage());
            ResourceCalls.checkCount(request.getSourcesCount());
            List<String> keys = request.getSourcesList().stream().map(MemoryKey::of).distinct().toList();
            return ResourceChange.newBuilder().setChanged(ResourceCalls.stored(() -> memories.remove(tenant, pair, keys))).build();
        });
    }
}
