package org.khmerai.translation.resources;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where one kind of language resource is kept, each ministry's per language pair: PostgreSQL, a
 * row per entry keyed by its source key. A store that cannot be reached throws a {@link DataAccessException}.
 */
public final class ResourceStore {

    private static final RowMapper<ResourceEntry> ENTRY = (row, n) -> new ResourceEntry(row.getString("source_key"),
            row.getString("source"), row.getString("target"), row.getString("updated_by"),
            row.getObject("updated_at", OffsetDateTime.class).toInstant());
    private static final String COLUMNS = "source_key, source, target, updated_by, updated_at";
    private static final String PAIR = "tenant = ? and source_language = ? and target_language = ?";

    private final String table;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    /** @param table {@code glossary_term}, {@code translation_memory} or {@code translation_proposal} */
    public ResourceStore(String table, JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.table = table;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Thrown inside the transaction, so that nothing of a call that would overfill the resource is kept. */
    public static final class ResourceFull extends RuntimeException {
        ResourceFull(int limit, int wouldHold) {
            super("a language pair holds at most " + limit + " entries; this call would make it " + wouldHold);
        }
    }

    /** Thrown inside the transaction when an entry to be moved is not there, so that nothing of the call is kept. */
    public static final class Missing extends RuntimeException {
        Missing(String source) {
            super(source);
        }

        /** The source, as the caller gave it, that has no entry. */
        public String source() {
            return getMessage();
        }
    }

    /** The whole resource of a pair, for one that is bounded small (a glossary). */
    public List<ResourceEntry> all(String tenant, LanguagePair pair) {
        return jdbc.query("select " + COLUMNS + " from " + table + " where " + PAIR, ENTRY, args(tenant, pair));
    }

    /** The entries of these keys that exist, by key. */
    public Map<String, ResourceEntry> find(String tenant, LanguagePair pair, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement("select " + COLUMNS + " from " + table + " where " + PAIR
                    + " and source_key = any(?)");
            statement.setString(1, tenant);
            statement.setString(2, pair.source().code());
            statement.setString(3, pair.target().code());
            statement.setArray(4, connection.createArrayOf("text", keys.toArray()));
            return statement;
        }, ENTRY).stream().collect(Collectors.toMap(ResourceEntry::key, Function.identity()));
    }

    /** Up to {@code limit} entries in key order, after {@code after} when given. */
    public List<ResourceEntry> page(String tenant, LanguagePair pair, Optional<String> after, int limit) {
        return jdbc.query("select " + COLUMNS + " from " + table + " where " + PAIR + " and source_key > ? order by source_key limit ?",
                ENTRY, tenant, pair.source().code(), pair.target().code(), after.orElse(""), limit);
    }

    /**
     * Adds the entries, replacing those with the same keys; all or nothing.
     *
     * @throws ResourceFull when the pair would then hold more than {@code maxEntries}
     */
    public int put(String tenant, LanguagePair pair, List<ResourceEntry> entries, int maxEntries) {
        return transactions.execute(status -> {
            jdbc.batchUpdate("insert into " + table + " (tenant, source_language, target_language, " + COLUMNS
                            + ") values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (tenant, source_language, target_language, source_key)"
                            + " do update set source = excluded.source, target = excluded.target,"
                            + " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                    entries.stream().map(entry -> new Object[] {tenant, pair.source().code(), pair.target().code(), entry.key(),
                            entry.source(), entry.target(), entry.updatedBy(), Timestamp.from(entry.updatedAt())}).toList());
            int size = count(tenant, pair);
            if (size > maxEntries) {
                throw new ResourceFull(maxEntries, size);
            }
            return entries.size();
        });
    }

    /** How many entries the pair holds. */
    public int count(String tenant, LanguagePair pair) {
        return jdbc.queryForObject("select count(*) from " + table + " where " + PAIR, Integer.class, args(tenant, pair));
    }

    /**
     * Moves entries of this resource into {@code target} and removes them here, all or nothing. Each
     * moved entry keeps its source and takes the target text given for it, or keeps its own where
     * that is empty, and is signed by {@code by} at {@code at}.
     *
     * @param targets the target text for each entry, by key, for each key the source the caller named it by
     * @throws Missing    naming the first source that has no entry here
     * @throws ResourceFull when {@code target}'s pair would then hold more than {@code maxEntries}
     */
    public int moveTo(ResourceStore target, String tenant, LanguagePair pair, Map<String, Named> targets, String by, Instant at,
            int maxEntries) {
        return transactions.execute(status -> {
            Map<String, ResourceEntry> here = find(tenant, pair, targets.keySet());
            List<ResourceEntry> moved = targets.entrySet().stream().map(given -> {
                ResourceEntry entry = here.get(given.getKey());
                if (entry == null) {
                    throw new Missing(given.getValue().source());
                }
                String text = given.getValue().target().isEmpty() ? entry.target() : given.getValue().target();
                return new ResourceEntry(entry.key(), entry.source(), text, by, at);
            }).toList();
            target.put(tenant, pair, moved, maxEntries);
            remove(tenant, pair, targets.keySet());
            return moved.size();
        });
    }

    /** What a caller said of one entry to move: the source it named it by, and its new target text (empty: the entry's own). */
    public record Named(String source, String target) {
    }

    /** Removes the entries of these keys; keys not there are ignored. */
    public int remove(String tenant, LanguagePair pair, Collection<String> keys) {
        return transactions.execute(status -> Arrays.stream(jdbc.batchUpdate(
                "delete from " + table + " where " + PAIR + " and source_key = ?",
                keys.stream().map(key -> new Object[] {tenant, pair.source().code(), pair.target().code(), key}).toList())).sum());
    }

    /** Removes every ministry's entries last written before {@code cutoff}; how many. */
    public int removeWrittenBefore(Instant cutoff) {
        return jdbc.update("delete from " + table + " where updated_at < ?", Timestamp.from(cutoff));
    }

    private static Object[] args(String tenant, LanguagePair pair) {
        return new Object[] {tenant, pair.source().code(), pair.target().code()};
    }
}
