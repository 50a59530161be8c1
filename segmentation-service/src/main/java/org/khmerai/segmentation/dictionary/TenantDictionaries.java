package org.khmerai.segmentation.dictionary;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.khmerai.text.segment.UserDictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Each ministry's dictionary as the segmenter applies it, kept in memory. A copy is checked
 * against the store's revision when it is older than the refresh interval, by one caller while
 * the others go on with the copy they have, so a change made on any replica is applied everywhere
 * within that interval. When the store cannot be reached, the last copy stays in use; a ministry
 * of which there is no copy yet cannot be served.
 */
@Component
public class TenantDictionaries {

    private static final Logger log = LoggerFactory.getLogger(TenantDictionaries.class);

    /** A dictionary and the revision it was read at. */
    public record Applied(long revision, UserDictionary dictionary) {
        public static final Applied NONE = new Applied(0, UserDictionary.EMPTY);
    }

    /** The store could not be reached and there is no copy of the ministry's dictionary to use. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String tenant, Throwable cause) {
            super("the dictionary of " + tenant + " cannot be read: its store is unreachable", cause);
        }
    }

    private final DictionaryStore store;
    private final long refreshNanos;
    private final Map<String, Copy> copies = new ConcurrentHashMap<>();

    public TenantDictionaries(DictionaryStore store, @Value("${khmer-ai.segmentation.dictionary-refresh:2s}") Duration refresh) {
        this.store = store;
        this.refreshNanos = refresh.toNanos();
    }

    public Applied of(String tenant) {
        Copy copy = copies.computeIfAbsent(tenant, t -> new Copy());
        Applied applied = copy.applied;
        if (applied != null && !copy.isDue()) {
            return applied;
        }
        if (applied != null && !copy.refreshing.tryLock()) {
            return applied; // another caller is checking it
        }
        if (applied == null) {
            copy.refreshing.lock();
        }
        try {
            return refresh(tenant, copy);
        } finally {
            copy.refreshing.unlock();
        }
    }

    /** Called after a change made here, so that this replica applies it on the next call. */
    public void expire(String tenant) {
        Copy copy = copies.get(tenant);
        if (copy != null) {
            copy.checkedAt = System.nanoTime() - refreshNanos;
        }
    }

    private Applied refresh(String tenant, Copy copy) {
        if (copy.applied != null && !copy.isDue()) {
            return copy.applied; // refreshed while this caller waited for the lock
        }
        try {
            if (copy.applied == null || store.revision(tenant) != copy.applied.revision()) {
                DictionaryStore.Snapshot snapshot = store.snapshot(tenant);
                copy.applied = new Applied(snapshot.revision(), UserDictionary.of(snapshot.terms()));
            }
        } catch (DataAccessException unreachable) {
            if (copy.applied == null) {
                throw new Unavailable(tenant, unreachable);
            }
            log.warn("the dictionary store is unreachable; {} keeps revision {} for now: {}",
                    tenant, copy.applied.revision(), unreachable.getMessage());
        }
        copy.checkedAt = System.nanoTime();
        return copy.applied;
    }

    private final class Copy {
        final ReentrantLock refreshing = new ReentrantLock();
        volatile Applied applied;
        volatile long checkedAt;

        boolean isDue() {
            return System.nanoTime() - checkedAt >= refreshNanos;
        }
    }
}
