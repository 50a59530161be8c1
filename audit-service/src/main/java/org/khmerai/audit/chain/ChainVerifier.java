package org.khmerai.audit.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.khmerai.audit.chain.ChainHashes.Row;
import org.khmerai.audit.chain.Checkpoints.Checkpoint;
import org.khmerai.audit.v1.AuditEvent;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Walks one tenant's chain from its first record and names the first link that does not hold: a
 * record altered (its columns, its event, or its content hash), removed (a gap in the sequence or
 * a previous-hash that does not match), or a chain that no longer ends where its head or its
 * signed checkpoints say it did.
 */
public final class ChainVerifier {

    private static final int PAGE = 1_000;

    private final JdbcTemplate jdbc;
    private final Checkpoints checkpoints;
    private final Set<String> trustedKeyIds;

    /** @param trustedKeyIds the ids of the keys whose checkpoints count: the service's own, and earlier ones */
    public ChainVerifier(JdbcTemplate jdbc, Checkpoints checkpoints, Set<String> trustedKeyIds) {
        this.jdbc = jdbc;
        this.checkpoints = checkpoints;
        this.trustedKeyIds = Set.copyOf(trustedKeyIds);
    }

    /** The first link that does not hold: its sequence number, its event id where there is a record, and why. */
    public record BrokenLink(long sequence, Optional<UUID> eventId, String reason) {
    }

    public record Verification(String tenant, long recordsChecked, long headSequence, byte[] headHash,
                               int checkpointsChecked, Optional<Instant> lastCheckpoint, Optional<BrokenLink> firstBroken) {

        public boolean valid() {
            return firstBroken.isEmpty();
        }
    }

    public Verification verify(String tenant) {
        List<Checkpoint> signed = checkpoints.of(tenant);
        Walk walk = new Walk(signed.stream().map(Checkpoint::sequence).collect(Collectors.toSet()));
        long after = 0;
        while (walk.broken == null) {
            List<Stored> page = jdbc.query("""
                    select id, tenant_seq, occurred_at, principal, client_id, service, method, status, request_id,
                           event, content_sha256, previous_hash, row_hash, input_text, output_text, content_purged_at
                    from audit_event where tenant = ? and tenant_seq > ? order by tenant_seq limit ?""",
                    (rows, n) -> new Stored(new Row(rows.getObject("id", UUID.class), tenant, rows.getLong("tenant_seq"),
                            rows.getTimestamp("occurred_at").toInstant(), rows.getString("principal"), rows.getString("client_id"),
                            rows.getString("service"), rows.getString("method"), rows.getString("status"),
                            rows.getString("request_id")), rows.getBytes("event"), rows.getBytes("content_sha256"),
                            rows.getBytes("previous_hash"), rows.getBytes("row_hash"), rows.getString("input_text"),
                            rows.getString("output_text"), rows.getTimestamp("content_purged_at") != null),
                    tenant, after, PAGE);
            page.forEach(walk::check);
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().row().sequence();
        }
        Map<String, Object> head = jdbc.queryForList("select seq, head_hash from audit_chain_head where tenant = ?", tenant)
                .stream().findFirst().orElse(Map.of("seq", 0L, "head_hash", ChainHashes.GENESIS));
        long headSequence = (Long) head.get("seq");
        byte[] headHash = (byte[]) head.get("head_hash");
        if (walk.broken == null && (walk.sequence != headSequence || !Arrays.equals(walk.hash, headHash))) {
            walk.broken = new BrokenLink(walk.sequence + 1, Optional.empty(), "the chain ends at record " + walk.sequence
                    + " but its head says " + headSequence + ": records at the end were removed or the head was altered");
        }
        for (Checkpoint checkpoint : signed) {
            if (walk.broken != null) {
                break;
            }
            walk.broken = checkpointProblem(checkpoint, walk.hashAt::get).orElse(null);
        }
        return new Verification(tenant, walk.checked, headSequence, headHash, signed.size(),
                signed.isEmpty() ? Optional.empty() : Optional.of(signed.getLast().signedAt()), Optional.ofNullable(walk.broken));
    }

    private Optional<BrokenLink> checkpointProblem(Checkpoint checkpoint, Function<Long, byte[]> hashAt) {
        String what = "the checkpoint signed at " + checkpoint.signedAt() + " for record " + checkpoint.sequence();
        if (!trustedKeyIds.contains(checkpoint.keyId())) {
            return Optional.of(new BrokenLink(checkpoint.sequence(), Optional.empty(), what + " is signed by key "
                    + checkpoint.keyId() + ", which this service does not trust"));
        }
        if (!checkpoint.signatureValid()) {
            return Optional.of(new BrokenLink(checkpoint.sequence(), Optional.empty(), what + " has an invalid signature"));
        }
        byte[] hash = hashAt.apply(checkpoint.sequence());
        if (hash == null || !Arrays.equals(hash, checkpoint.headHash())) {
            return Optional.of(new BrokenLink(checkpoint.sequence(), Optional.empty(), what
                    + " does not match the chain: the records up to it were rewritten or removed"));
        }
        return Optional.empty();
    }

    private record Stored(Row row, byte[] event, byte[] contentHash, byte[] previousHash, byte[] rowHash,
                          String inputText, String outputText, boolean contentPurged) {
    }

    /** The walk along the chain so far. */
    private static final class Walk {
        long sequence;
        byte[] hash = ChainHashes.GENESIS;
        long checked;
        BrokenLink broken;
        /** The hashes of the records that checkpoints point at. */
        final Map<Long, byte[]> hashAt = new HashMap<>();
        final Set<Long> checkpointed;

        Walk(Set<Long> checkpointed) {
            this.checkpointed = checkpointed;
        }

        void check(Stored stored) {
            if (broken != null) {
                return;
            }
            Row row = stored.row();
            Optional<UUID> id = Optional.of(row.id());
            if (row.sequence() != sequence + 1) {
                broken = new BrokenLink(sequence + 1, Optional.empty(), "record " + (sequence + 1)
                        + " is missing: the chain goes from " + sequence + " to " + row.sequence());
            } else if (!Arrays.equals(stored.previousHash(), hash)) {
                broken = new BrokenLink(row.sequence(), id, "its previous_hash is not the hash of record " + sequence);
            } else {
                Optional<String> problem = eventProblem(stored).or(() -> Arrays.equals(ChainHashes.row(hash, row, stored.contentHash()),
                        stored.rowHash()) ? Optional.empty() : Optional.of("the record was altered: its hash no longer matches its content"));
                if (problem.isPresent()) {
                    broken = new BrokenLink(row.sequence(), id, problem.get());
                    return;
                }
                sequence = row.sequence();
                hash = stored.rowHash();
                if (checkpointed.contains(sequence)) {
                    hashAt.put(sequence, hash);
                }
                checked++;
            }
        }

        /**
         * What does not hold between a record and its stored event, read once: the event's content
         * hash, the columns taken from it, and the stored text its hash stands for, which may be gone
         * only by the retention purge.
         */
        private static Optional<String> eventProblem(Stored stored) {
            if (stored.event() == null) {
                return Optional.empty();
            }
            if (!Arrays.equals(ChainHashes.sha256(stored.event()), stored.contentHash())) {
                return Optional.of("its stored event was altered: it no longer has its content hash");
            }
            AuditEvent event;
            try {
                event = AuditEvent.parseFrom(stored.event());
            } catch (InvalidProtocolBufferException e) {
                return Optional.of("its columns do not match its stored event");
            }
            Row row = stored.row();
            if (!event.getId().equals(row.id().toString()) || !Row.of(row.id(), event).numbered(row.sequence()).equals(row)) {
                return Optional.of("its columns do not match its stored event");
            }
            return textProblem("input", event.getInput().getStoredTextSha256(), stored.inputText(), stored.contentPurged())
                    .or(() -> textProblem("output", event.getOutput().getStoredTextSha256(), stored.outputText(), stored.contentPurged()));
        }

        private static Optional<String> textProblem(String part, String sha256, String text, boolean purged) {
            if (text != null && !sha256.equals(ChainHashes.hex(ChainHashes.sha256(text.getBytes(StandardCharsets.UTF_8))))) {
                return Optional.of("its stored " + part + " text was altered: it no longer has the hash its event records");
            }
            if (text == null && !sha256.isEmpty() && !purged) {
                return Optional.of("its stored " + part + " text was removed, though the retention purge did not remove it");
            }
            return Optional.empty();
        }
    }
}
