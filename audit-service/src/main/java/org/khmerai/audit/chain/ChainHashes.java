package org.khmerai.audit.chain;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.khmerai.audit.v1.AuditEvent;

/**
 * The hash chain of one tenant's audit records: row n stores the SHA-256 of row n-1's hash and its
 * own canonical content, so altering, removing or reordering any row breaks every link after it.
 * A row's own hash covers its columns and the SHA-256 of the stored event, kept in a column of its
 * own so that the event's content can be purged after the retention period and the chain still
 * verifies.
 */
public final class ChainHashes {

    /** What the first row of a chain links to. */
    public static final byte[] GENESIS = new byte[32];

    private static final byte[] ROW_DOMAIN = "khmer-ai audit row v1".getBytes(StandardCharsets.UTF_8);

    private ChainHashes() {
    }

    /** The columns of a stored audit record that its hash covers. */
    public record Row(UUID id, String tenant, long sequence, Instant occurredAt, String principal, String clientId,
                      String service, String method, String status, String requestId) {

        /**
         * The columns of an event's record, unnumbered until its chain numbers it; the time in whole
         * microseconds, as PostgreSQL keeps it.
         */
        public static Row of(UUID id, AuditEvent event) {
            Instant time = Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos() / 1_000 * 1_000);
            return new Row(id, event.getTenant(), 0, time, event.getPrincipal(), event.getClientId(), event.getService(),
                    event.getMethod(), event.getStatus(), event.getRequestId());
        }

        public Row numbered(long number) {
            return new Row(id, tenant, number, occurredAt, principal, clientId, service, method, status, requestId);
        }
    }

    public static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    /** SHA-256 over the previous row's hash, the row's columns (each length-prefixed) and its content hash. */
    public static byte[] row(byte[] previous, Row row, byte[] contentHash) {
        ByteArrayOutputStream canonical = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(canonical)) {
            out.write(ROW_DOMAIN);
            out.write(previous);
            out.writeLong(row.id().getMostSignificantBits());
            out.writeLong(row.id().getLeastSignificantBits());
            text(out, row.tenant());
            out.writeLong(row.sequence());
            out.writeLong(micros(row.occurredAt()));
            text(out, row.principal());
            text(out, row.clientId());
            text(out, row.service());
            text(out, row.method());
            text(out, row.status());
            text(out, row.requestId());
            out.write(contentHash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest().digest(canonical.toByteArray());
    }

    /** PostgreSQL keeps microseconds: the hash covers what the database can give back. */
    public static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }

    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
