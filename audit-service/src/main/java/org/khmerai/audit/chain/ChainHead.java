package org.khmerai.audit.chain;

import java.sql.Array;
import java.sql.Connection;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.khmerai.audit.chain.ChainHashes.Row;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The last link of one tenant's chain, locked for the transaction that appends to it, so that each
 * chain grows one writer at a time whichever audit-service instance holds the tenant's partition.
 */
public final class ChainHead {

    private final String tenant;
    private long sequence;
    private byte[] hash;

    private ChainHead(String tenant, long sequence, byte[] hash) {
        this.tenant = tenant;
        this.sequence = sequence;
        this.hash = hash;
    }

    /** A record linked into the chain: its columns with their sequence number, and its hashes. */
    public record Link(Row row, byte[] storedEvent, byte[] contentHash, byte[] previousHash, byte[] rowHash) {
    }

    /**
     * Locks the head rows of these tenants (creating those of new chains) until the current
     * transaction ends, always in tenant order, so that two writers never wait for each other in a circle.
     */
    public static Map<String, ChainHead> lock(JdbcTemplate jdbc, Collection<String> tenants) {
        String[] sorted = new TreeSet<>(tenants).toArray(String[]::new);
        return jdbc.execute((Connection connection) -> {
            Array names = connection.createArrayOf("text", sorted);
            try (var create = connection.prepareStatement("insert into audit_chain_head (tenant, seq, head_hash)"
                    + " select unnest(?), 0, ? on conflict do nothing");
                 var lock = connection.prepareStatement("select tenant, seq, head_hash from audit_chain_head"
                         + " where tenant = any(?) order by tenant for update")) {
                create.setArray(1, names);
                create.setBytes(2, ChainHashes.GENESIS);
                create.executeUpdate();
                lock.setArray(1, names);
                Map<String, ChainHead> heads = new TreeMap<>();
                try (var rows = lock.executeQuery()) {
                    while (rows.next()) {
                        heads.put(rows.getString(1), new ChainHead(rows.getString(1), rows.getLong(2), rows.getBytes(3)));
                    }
                }
                return heads;
            }
        });
    }

    /** Links the next record of this tenant; {@code row}'s sequence is replaced by the next one. */
    public Link append(Row row, byte[] storedEvent) {
        Row numbered = row.numbered(sequence + 1);
        byte[] contentHash = ChainHashes.sha256(storedEvent);
        byte[] rowHash = ChainHashes.row(hash, numbered, contentHash);
        Link link = new Link(numbered, storedEvent, contentHash, hash, rowHash);
        sequence = numbered.sequence();
        hash = rowHash;
        return link;
    }

    /** Writes the heads back, in one batch; the locks go with the transaction. */
    public static void save(JdbcTemplate jdbc, Collection<ChainHead> heads) {
        jdbc.batchUpdate("update audit_chain_head set seq = ?, head_hash = ? where tenant = ?", List.copyOf(heads), heads.size(),
                (update, head) -> {
                    update.setLong(1, head.sequence);
                    update.setBytes(2, head.hash);
                    update.setString(3, head.tenant);
                });
    }
}
