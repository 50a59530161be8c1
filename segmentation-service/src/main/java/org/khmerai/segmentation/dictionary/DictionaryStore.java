package org.khmerai.segmentation.dictionary;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where each ministry's user dictionary is kept: PostgreSQL, a row per term and a revision per
 * ministry that every change raises in the same transaction. Terms arrive here already canonical.
 * A store that cannot be reached throws a {@link DataAccessException}.
 */
@Repository
public class DictionaryStore {

    private static final RowMapper<StoredTerm> STORED_TERM = (row, n) -> new StoredTerm(row.getString("term"),
            row.getString("added_by"), row.getObject("added_at", OffsetDateTime.class).toInstant());

    private final JdbcTemplate jdbc;
    private final TransactionTemplate writes;
    private final TransactionTemplate consistentReads;

    public DictionaryStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.writes = transactions;
        this.consistentReads = new TransactionTemplate(transactions.getTransactionManager());
        consistentReads.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        consistentReads.setReadOnly(true);
    }

    public record StoredTerm(String term, String addedBy, Instant addedAt) {
    }

    /** A ministry's terms as of one revision. */
    public record Snapshot(long revision, List<String> terms) {
    }

    /** What a change did: how many of the given terms it added or removed, and the revision after it. */
    public record Change(int changed, long revision) {
    }

    /** Thrown inside the transaction, so that nothing of a call that would overfill the dictionary is kept. */
    public static final class DictionaryFull extends RuntimeException {
        DictionaryFull(int limit, int wouldHold) {
            super("a dictionary holds at most " + limit + " terms; this call would make it " + wouldHold);
        }
    }

    /** 0 for a ministry that never changed its dictionary. */
    public long revision(String tenant) {
        return jdbc.query("select revision from dictionary_revision where tenant = ?",
                rows -> rows.next() ? rows.getLong(1) : 0L, tenant);
    }

    public Snapshot snapshot(String tenant) {
        return inTransaction(consistentReads, () -> new Snapshot(revision(tenant),
                jdbc.queryForList("select term from dictionary_term where tenant = ?", String.class, tenant)));
    }

    /** Up to {@code limit} terms in Unicode order, after {@code after} when given. */
    public List<StoredTerm> page(String tenant, Optional<String> after, int limit) {
        return jdbc.query("select term, added_by, added_at from dictionary_term where tenant = ? and term > ?"
                + " order by term limit ?", STORED_TERM, tenant, after.orElse(""), limit);
    }

    public int size(String tenant) {
        return jdbc.queryForObject("select count(*) from dictionary_term where tenant = ?", Integer.class, tenant);
    }

    /**
     * Adds the terms that are not there yet.
     *
     * @throws DictionaryFull if the dictionary would then hold more than {@code limit} terms; nothing is added
     */
    public Change add(String tenant, String addedBy, List<String> terms, int limit) {
        return inTransaction(writes, () -> {
            lockRevision(tenant);
            int added = jdbc.execute((Connection connection) -> {
                try (var insert = connection.prepareStatement("insert into dictionary_term (tenant, term, added_by)"
                        + " select ?, unnest(?), ? on conflict do nothing")) {
                    insert.setString(1, tenant);
                    insert.setArray(2, textArray(connection, terms));
                    insert.setString(3, addedBy);
                    return insert.executeUpdate();
                }
            });
            int size = size(tenant);
            if (size > limit) {
                throw new DictionaryFull(limit, size);
            }
            return new Change(added, added == 0 ? revision(tenant) : raiseRevision(tenant));
        });
    }

    /** Removes those of the terms that are there. */
    public Change remove(String tenant, List<String> terms) {
        return inTransaction(writes, () -> {
            lockRevision(tenant);
            int removed = jdbc.execute((Connection connection) -> {
                try (var delete = connection.prepareStatement("delete from dictionary_term where tenant = ? and term = any(?)")) {
                    delete.setString(1, tenant);
                    delete.setArray(2, textArray(connection, terms));
                    return delete.executeUpdate();
                }
            });
            return new Change(removed, removed == 0 ? revision(tenant) : raiseRevision(tenant));
        });
    }

    /**
     * A transaction that cannot begin, commit or roll back is a store that cannot be reached, like
     * any other {@link DataAccessException}.
     */
    private static <T> T inTransaction(TransactionTemplate transaction, Supplier<T> work) {
        try {
            return transaction.execute(status -> work.get());
        } catch (TransactionException e) {
            throw new DataAccessResourceFailureException(e.getMessage(), e);
        }
    }

    /** Serializes the changes of one ministry: the row stays locked until the transaction ends. */
    private void lockRevision(String tenant) {
        jdbc.update("insert into dictionary_revision (tenant, revision) values (?, 0)"
                + " on conflict (tenant) do update set revision = dictionary_revision.revision", tenant);
    }

    private long raiseRevision(String tenant) {
        return jdbc.queryForObject("update dictionary_revision set revision = revision + 1 where tenant = ? returning revision",
                Long.class, tenant);
    }

    private static Array textArray(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}
