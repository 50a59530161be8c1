package org.khmerai.gateway.grpc;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.khmerai.gateway.backend.RawMessages;
import org.khmerai.gateway.backend.ServiceChannels;
import org.khmerai.platform.audit.CallAttribution;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.Caller;
import org.khmerai.platform.security.PlatformContracts;

/**
 * Where a gRPC call from an internal application enters the platform. Every method of every
 * contract is served here as raw bytes: the call is audited, its token and roles checked, and
 * then it is forwarded, streaming included, to the service that owns the contract.
 */
public final class GrpcProxy extends HandlerRegistry {

    private final ServiceChannels channels;
    private final List<ServerInterceptor> interceptors;
    private final Map<String, MethodType> methodTypes;
    private final Map<String, ServerMethodDefinition<?, ?>> definitions = new ConcurrentHashMap<>();

    /**
     * @param interceptors outermost first: the audit interceptor, then the token check
     */
    public GrpcProxy(ServiceChannels channels, List<ServerInterceptor> interceptors) {
        this.channels = channels;
        this.interceptors = interceptors;
        this.methodTypes = PlatformContracts.services().stream().flatMap(service -> service.getMethods().stream())
                .collect(Collectors.toUnmodifiableMap(
                        method -> MethodDescriptor.generateFullMethodName(method.getService().getFullName(), method.getName()),
                        method -> typeOf(method.isClientStreaming(), method.isServerStreaming())));
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String fullMethodName, String authority) {
        MethodType type = methodTypes.get(fullMethodName);
        if (type == null) {
            // not cached: names that no contract defines are the caller's to choose
            return definition(fullMethodName, MethodType.UNKNOWN);
        }
        return definitions.computeIfAbsent(fullMethodName, name -> definition(name, type));
    }

    private ServerMethodDefinition<?, ?> definition(String fullMethodName, MethodType type) {
        MethodDescriptor<byte[], byte[]> method = RawMessages.method(fullMethodName, type);
        String service = MethodDescriptor.extractFullServiceName(fullMethodName);
        ServerServiceDefinition proxied = ServerServiceDefinition.builder(service)
                .addMethod(method, new Forwarding(method, service))
                .build();
        return ServerInterceptors.interceptForward(proxied, interceptors).getMethod(fullMethodName);
    }

    private static MethodType typeOf(boolean clientStreaming, boolean serverStreaming) {
        if (clientStreaming) {
            return serverStreaming ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
        }
        return serverStreaming ? MethodType.SERVER_STREAMING : MethodType.UNARY;
    }

    /** Opens the backend's call for a caller's call and relays between the two. */
    private final class Forwarding implements ServerCallHandler<byte[], byte[]> {

        private final MethodDescriptor<byte[], byte[]> method;
        private final String service;

        Forwarding(MethodDescriptor<byte[], byte[]> method, String service) {
            this.method = method;
            this.service = service;
        }

        @Override
        public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
            Optional<Channel> channel = channels.forService(service);
            if (channel.isEmpty()) {
                return GrpcErrors.refuse(call, PlatformError.SERVICE_UNAVAILABLE, "no backend serves " + service);
            }
            Optional<Caller> caller = Caller.current();
            if (caller.isEmpty()) {
                return GrpcErrors.refuse(call, PlatformError.MISSING_TOKEN, "the call reached the proxy without a verified caller");
            }
            String requestId = CallAttribution.current().map(CallAttribution::requestId).orElse("");
            // the backend's messages are passed on from the channel's event loop: the relay never waits
            // (flow control holds a backend back), and a thread for each message cost more than passing it on
            ClientCall<byte[], byte[]> backend = channel.get().newCall(method, CallOptions.DEFAULT
                    .withDeadline(Context.current().getDeadline()).withExecutor(MoreExecutors.directExecutor()));
            return new CallRelay(call, backend).start(RawMessages.forwardedHeaders(caller.get().bearerToken(), requestId));
        }
    }
}
