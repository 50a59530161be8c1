package org.khmerai.gateway.backend;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.khmerai.platform.audit.AuditServerInterceptor;
import org.khmerai.platform.security.JwtServerInterceptor;

/**
 * The gateway forwards messages as bytes: it never needs the generated classes of a contract,
 * so a new service needs no gateway code.
 */
public final class RawMessages {

    public static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new MessageBytes(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                if (stream instanceof KnownLength) {
                    // gRPC's own message streams know their length: no 16 KB read buffer per message
                    byte[] message = new byte[stream.available()];
                    stream.readNBytes(message, 0, message.length);
                    return message;
                }
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawMessages() {
    }

    /**
     * A message's bytes as gRPC writes them without a copy: its length known, and drained into the
     * frame in one write. A plain stream is copied through an 8 KB buffer, one for every message.
     */
    private static final class MessageBytes extends ByteArrayInputStream implements KnownLength, Drainable {

        MessageBytes(byte[] message) {
            super(message);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int length = count - pos;
            target.write(buf, pos, length);
            pos = count;
            return length;
        }
    }

    public static MethodDescriptor<byte[], byte[]> method(String fullMethodName, MethodDescriptor.MethodType type) {
        return MethodDescriptor.newBuilder(MARSHALLER, MARSHALLER).setFullMethodName(fullMethodName).setType(type).build();
    }

    /** What a backend needs to check the caller again and to tie its audit event to the gateway's. */
    public static Metadata forwardedHeaders(String bearerToken, String requestId) {
        Metadata headers = new Metadata();
        headers.put(JwtServerInterceptor.AUTHORIZATION, "Bearer " + bearerToken);
        headers.put(AuditServerInterceptor.REQUEST_ID, requestId);
        return headers;
    }
}
