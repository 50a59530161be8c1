package org.khmerai.gateway.backend;

import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
            return new ByteArrayInputStream(value);
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
