package org.khmerai.translation.resources;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.khmerai.platform.paging.Paging;
import org.khmerai.platform.security.Caller;

/**
 * What the glossary, memory and proposals APIs do alike for one of a ministry's resources: list it a
 * page at a time, put, move and remove entries in batches, for the caller's own tenant and one language
 * pair. The gRPC services only map their messages to and from {@link ResourceEntry}.
 */
final class ResourceApi {

    /** An entry as a caller gives it. */
    record Given(String source, String target) {
    }

    /** A page of a ministry's resource for one language pair. */
    record Page(String tenant, LanguagePair pair, List<ResourceEntry> entries, String nextPageToken) {
    }

    private final ResourceStore store;
    private final ResourceCalls calls;
    private final Clock clock;
    private final UnaryOperator<String> key;
    private final int maxChars;
    private final int maxPerPair;

    /**
     * @param key        the key a source is matched and stored by
     * @param maxChars   the longest source or target
     * @param maxPerPair the most entries one language pair of one ministry may hold
     */
    ResourceApi(ResourceStore store, ResourceCalls calls, Clock clock, UnaryOperator<String> key, int maxChars, int maxPerPair) {
        this.store = store;
        this.calls = calls;
        this.clock = clock;
        this.key = key;
        this.maxChars = maxChars;
        this.maxPerPair = maxPerPair;
    }

    Page page(String sourceLanguage, String targetLanguage, int requestedSize, String pageToken) {
        String tenant = Caller.required().tenant();
        LanguagePair pair = calls.pair(sourceLanguage, targetLanguage);
        int pageSize = ResourceCalls.PAGING.size(requestedSize);
        List<ResourceEntry> fetched = ResourceCalls.stored(() -> store.page(tenant, pair, Paging.after(pageToken), pageSize + 1));
        return new Page(tenant, pair, fetched.stream().limit(pageSize).toList(), ResourceCalls.nextPageToken(fetched, pageSize));
    }

    /** Adds or replaces entries; a source given twice in one call: the last one holds. How many changed. */
    int put(String sourceLanguage, String targetLanguage, List<Given> given) {
        Caller caller = Caller.required();
        LanguagePair pair = calls.pair(sourceLanguage, targetLanguage);
        ResourceCalls.checkCount(given.size());
        Instant now = clock.instant();
        Map<String, ResourceEntry> entries = new LinkedHashMap<>();
        for (Given entry : given) {
            String source = ResourceCalls.checked(entry.source(), "source", maxChars);
            String target = ResourceCalls.checked(entry.target(), "target", maxChars);
            String sourceKey = key.apply(source);
            entries.put(sourceKey, new ResourceEntry(sourceKey, source, target, caller.principal(), now));
        }
        return ResourceCalls.stored(() -> store.put(caller.tenant(), pair, List.copyOf(entries.values()), maxPerPair));
    }

    /**
     * Moves entries into {@code target}'s resource, each with the target text given for it, or its
     * own where that is empty; all or nothing. How many moved.
     */
    int moveTo(ResourceApi target, String sourceLanguage, String targetLanguage, List<Given> given) {
        Caller caller = Caller.required();
        LanguagePair pair = calls.pair(sourceLanguage, targetLanguage);
        ResourceCalls.checkCount(given.size());
        Map<String, ResourceStore.Named> targets = new LinkedHashMap<>();
        for (Given entry : given) {
            String source = ResourceCalls.checked(entry.source(), "source", maxChars);
            String text = entry.target().isBlank() ? "" : ResourceCalls.checked(entry.target(), "target", target.maxChars);
            targets.put(key.apply(source), new ResourceStore.Named(source, text));
        }
        return ResourceCalls.stored(() -> store.moveTo(target.store, caller.tenant(), pair, targets, caller.principal(), clock.instant(),
                target.maxPerPair));
    }

    /** Removes the entries of these sources; how many there were. */
    int remove(String sourceLanguage, String targetLanguage, List<String> sources) {
        String tenant = Caller.required().tenant();
        LanguagePair pair = calls.pair(sourceLanguage, targetLanguage);
        ResourceCalls.checkCount(sources.size());
        List<String> keys = sources.stream().map(key).distinct().toList();
        return ResourceCalls.stored(() -> store.remove(tenant, pair, keys));
    }
}
