package org.khmerai.translation.resources;

import java.time.Instant;
import java.util.List;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The model's translations that translators propose for their ministry's memory, kept apart from it
 * until an administrator approves each (as proposed or corrected) or turns it down
 * ({@link TranslationMemoryGrpcService}), or until they expire unreviewed. A later proposal of the same
 * sentence replaces the earlier.
 */
@Component
public class MemoryProposals {

    static final int MAX_PER_PAIR = 100_000;
    private static final Logger log = LoggerFactory.getLogger(MemoryProposals.class);

    private final ResourceStore store;

    public MemoryProposals(ResourceStores stores) {
        this.store = stores.proposals();
    }

    /**
     * Refuses, before any model is asked, a call whose {@code count} proposals the pair may have no room for.
     *
     * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION ({@code conflict}) saying so
     */
    public void checkRoom(String tenant, LanguagePair pair, int count) {
        int held = ResourceCalls.stored(() -> store.count(tenant, pair));
        if (held + count > MAX_PER_PAIR) {
            throw GrpcErrors.exception(PlatformError.CONFLICT, "the ministry's " + held + " proposed translations from "
                    + pair.source().code() + " to " + pair.target().code() + " await approval, and at most " + MAX_PER_PAIR
                    + " may; an administrator approves or removes some first (or translate without propose_for_memory)");
        }
    }

    /**
     * Proposes these translations, leaving out any too long for the memory to take.
     *
     * @return the entries proposed
     */
    public List<ResourceEntry> propose(String tenant, LanguagePair pair, List<ResourceEntry> entries) {
        int longest = TranslationMemoryGrpcService.MAX_SENTENCE_CHARS;
        List<ResourceEntry> fitting = entries.stream()
                .filter(entry -> entry.source().length() <= longest && entry.target().length() <= longest).toList();
        if (!fitting.isEmpty()) {
            ResourceCalls.stored(() -> store.put(tenant, pair, fitting, MAX_PER_PAIR));
        }
        return fitting;
    }

    /** Deletes the proposals, of every ministry, last proposed before {@code cutoff}; how many. */
    public int expireBefore(Instant cutoff) {
        int expired = store.removeWrittenBefore(cutoff);
        if (expired > 0) {
            log.info("{} proposed translations nobody approved or removed since {} have expired", expired, cutoff);
        }
        return expired;
    }
}
