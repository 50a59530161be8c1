package org.khmerai.platform.audit;

import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Content;
import org.khmerai.audit.v1.Edge;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.security.AccessPolicy;

/**
 * Publishes one audit event for every gRPC call, admitted or rejected: who called, which method,
 * the status, the latency, the sizes and the SHA-256 of the request, and the text and resource of
 * the fields its contract marks for the audit ({@link AuditedFields}). Runs outermost, before the
 * token check.
 */
public final class AuditServerInterceptor implements ServerInterceptor {

    /** Ties the events of one request together across the gateway and the services. */
    public static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    private final AuditPublisher publisher;
    private final String service;
    private final Edge edge;
    private final AccessPolicy access;
    private final Clock clock;

    public AuditServerInterceptor(AuditPublisher publisher, String service, Edge edge, AccessPolicy access, Clock clock) {
        this.publisher = publisher;
        this.service = service;
        this.edge = edge;
        this.access = access;
        this.clock = clock;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (access.isOpen(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        AuditedCall<Q, R> audited = new AuditedCall<>(call, headers);
        ServerCall.Listener<Q> listener = Contexts.interceptCall(audited.attribution.attachTo(Context.current()),
                audited, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                audited.received(message);
                super.onMessage(message);
            }
        };
    }

    private static long sizeOf(Object message) {
        return switch (message) {
            case MessageLite protobuf -> protobuf.getSerializedSize();
            case byte[] bytes -> bytes.length;
            default -> 0;
        };
    }

    private static byte[] bytesOf(Object message) {
        return switch (message) {
            case MessageLite protobuf -> protobuf.toByteArray();
            case byte[] bytes -> bytes;
            default -> new byte[0];
        };
    }

    private final class AuditedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        private final CallAttribution attribution;
        private final MessageDigest input = AuditEvents.sha256();
        private final Instant start = clock.instant();
        private final long startNanos = System.nanoTime();
        private volatile long requestBytes;
        private volatile long responseBytes;
        private final AuditedText inputText = new AuditedText("\n");
        private final AuditedText outputText = new AuditedText("");
        private final AuditedText resource = new AuditedText(" ");

        AuditedCall(ServerCall<Q, R> call, Metadata headers) {
            super(call);
            this.attribution = new CallAttribution(
                    Optional.ofNullable(headers.get(REQUEST_ID)).orElseGet(() -> UuidV7.at(start).toString()));
        }

        void received(Object message) {
            byte[] bytes = bytesOf(message);
            synchronized (this) {
                input.update(bytes);
                requestBytes += bytes.length;
            }
            if (message instanceof Message parsed) {
                inputText.add(AuditedFields.TEXT.of(parsed));
                resource.add(AuditedFields.RESOURCE.of(parsed));
            }
        }

        @Override
        public void sendMessage(R message) {
            responseBytes += sizeOf(message);
            if (message instanceof Message parsed) {
                outputText.add(AuditedFields.TEXT.of(parsed));
            }
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            super.close(status, trailers);
            AuditEvent.Builder event = AuditEvents.begin(start, service, edge)
                    .setMethod(getMethodDescriptor().getFullMethodName())
                    .setStatus(status.getCode().name())
                    .setLatencyMicros((System.nanoTime() - startNanos) / 1_000)
                    .setRequestBytes(requestBytes)
                    .setResponseBytes(responseBytes)
                    .setRequestId(attribution.requestId());
            synchronized (this) {
                event.setInput(inputText.addTo(AuditEvents.content(requestBytes, input.digest()).toBuilder()));
            }
            if (responseBytes > 0) {
                event.setOutput(outputText.addTo(Content.newBuilder().setLength(responseBytes)));
            }
            event.setResource(resource.text());
            attribution.servedBy().ifPresent(served -> event.setModel(served.model()).setBackend(served.backend())
                    .setModelUsage(served.usage()));
            if (!status.isOk()) {
                event.setErrorCode(GrpcErrors.errorOf(status, trailers).code());
            }
            publisher.publish(AuditEvents.attribute(event, attribution.caller()).build());
        }
    }
}
