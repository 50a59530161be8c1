package org.khmerai.audit.chain;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Signed checkpoints of the tenants' chains: the head of a chain that grew since its last
 * checkpoint, signed with the service's {@link CheckpointKey}.
 */
public final class Checkpoints {

    private final JdbcTemplate jdbc;

    public Checkpoints(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One stored checkpoint. */
    public record Checkpoint(String tenant, long sequence, byte[] headHash, Instant signedAt, String keyId,
                             byte[] publicKey, byte[] signature) {

        /** What is signed: the tenant, the sequence number and hash of its chain's head, and when. */
        public byte[] message() {
            return ("khmer-ai audit checkpoint v1\n" + tenant + "\n" + sequence + "\n" + ChainHashes.hex(headHash) + "\n"
                    + ChainHashes.micros(signedAt)).getBytes(StandardCharsets.UTF_8);
        }

        public boolean signatureValid() {
            return CheckpointKey.idOf(publicKey).equals(keyId) && CheckpointKey.verify(publicKey, message(), signature);
        }
    }

    /** Signs the head of every chain that grew since its last checkpoint; returns how many were signed. */
    public int signGrownChains(CheckpointKey key) {
        List<Checkpoint> due = jdbc.query("""
                select h.tenant, h.seq, h.head_hash from audit_chain_head h
                where h.seq > coalesce((select max(c.seq) from audit_checkpoint c where c.tenant = h.tenant), 0)""",
                (rows, n) -> signed(key, rows.getString("tenant"), rows.getLong("seq"), rows.getBytes("head_hash")));
        for (Checkpoint checkpoint : due) {
            jdbc.update("""
                    insert into audit_checkpoint (tenant, seq, head_hash, signed_at, key_id, public_key, signature)
                    values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                    checkpoint.tenant(), checkpoint.sequence(), checkpoint.headHash(), Timestamp.from(checkpoint.signedAt()),
                    checkpoint.keyId(), checkpoint.publicKey(), checkpoint.signature());
        }
        return due.size();
    }

    /** A tenant's checkpoints, oldest first. */
    public List<Checkpoint> of(String tenant) {
        return jdbc.query("select * from audit_checkpoint where tenant = ? order by seq", (rows, n) -> new Checkpoint(
                rows.getString("tenant"), rows.getLong("seq"), rows.getBytes("head_hash"),
                rows.getTimestamp("signed_at").toInstant(), rows.getString("key_id"), rows.getBytes("public_key"),
                rows.getBytes("signature")), tenant);
    }

    private static Checkpoint signed(CheckpointKey key, String tenant, long sequence, byte[] headHash) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Checkpoint unsigned = new Checkpoint(tenant, sequence, headHash, now, key.id(), key.publicKey(), new byte[0]);
        return new Checkpoint(tenant, sequence, headHash, now, key.id(), key.publicKey(), key.sign(unsigned.message()));
    }
}
