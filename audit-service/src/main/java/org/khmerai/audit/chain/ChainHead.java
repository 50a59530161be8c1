package org.khmerai.audit.chain;

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

    /** Locks the tenant's head row (creating it for a new chain) until the current transaction ends. */
    public static ChainHead lock(JdbcTemplate jdbc, String tenant) {
        jdbc.update("insert into audit_chain_head (tenant, seq, head_hash) values (?, 0, ?) on conflict do nothing",
                tenant, ChainHashes.GENESIS);
        return jdbc.queryForObject("select seq, head_hash from audit_chain_head where tenant = ? for update",
                (rows, n) -> new ChainHead(tenant, rows.getLong("seq"), rows.getBytes("head_hash")), tenant);
    }

    /** Links the next record of this tenant; {@code row}'s sequence is replaced by the next one. */
    public Link append(Row row, byte[] storedEvent) {
        Row numbered = new Row(row.id(), tenant, sequence + 1, row.occurredAt(), row.principal(), row.clientId(),
                row.service(), row.method(), row.status(), row.requestId());
        byte[] contentHash = ChainHashes.sha256(storedEvent);
        byte[] rowHash = ChainHashes.row(hash, numbered, contentHash);
        Link link = new Link(numbered, storedEvent, contentHash, hash, rowHash);
        sequence = numbered.sequence();
        hash = rowHash;
        return link;
    }

    /** Writes the head back; the lock goes with the transaction. */
    public void save(JdbcTemplate jdbc) {
        jdbc.update("update audit_chain_head set seq = ?, head_hash = ? where tenant = ?", sequence, hash, tenant);
    }
}
