package org.khmerai.platform.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Content;
import org.khmerai.audit.v1.Edge;
import org.khmerai.platform.proto.ProtoTime;
import org.khmerai.platform.security.Caller;

/** The parts of an audit event that every producer fills in the same way. */
public final class AuditEvents {

    public static final String ANONYMOUS = "anonymous";

    private AuditEvents() {
    }

    /** A new event with its id and time, from the component that reports it. */
    public static AuditEvent.Builder begin(Instant time, String service, Edge edge) {
        return AuditEvent.newBuilder()
                .setId(UuidV7.at(time).toString())
                .setTime(ProtoTime.timestamp(time))
                .setService(service)
                .setEdge(edge)
                .setPrincipal(ANONYMOUS);
    }

    public static AuditEvent.Builder attribute(AuditEvent.Builder event, Optional<Caller> caller) {
        caller.ifPresent(c -> event.setTenant(c.tenant()).setPrincipal(c.principal()).setClientId(c.clientId()));
        return event;
    }

    /** The digest and size of an input, which is all an audit record keeps of it by default. */
    public static Content content(byte[] input) {
        return content(input.length, sha256().digest(input));
    }

    public static Content content(long length, byte[] sha256) {
        return Content.newBuilder().setLength(length).setSha256(HexFormat.of().formatHex(sha256)).build();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
