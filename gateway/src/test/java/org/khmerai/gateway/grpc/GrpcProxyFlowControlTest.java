package org.khmerai.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.khmerai.gateway.backend.GatewayProperties;
import org.khmerai.gateway.backend.RawMessages;
import org.khmerai.gateway.backend.ServiceChannels;
import org.khmerai.platform.security.Caller;

/**
 * The gateway's gRPC proxy relays a stream no faster than its caller reads it: a backend that
 * streams a long answer to a caller that stops reading is held back by flow control, and every
 * message still arrives, in order, once the caller reads on. The token check is not what this
 * test is about: a fixed caller stands in for it (the platform's tests check tokens with Keycloak).
 */
class GrpcProxyFlowControlTest {

    private static final String SERVICE = "khmer.llm.v1.ChatService";
    private static final MethodDescriptor<byte[], byte[]> STREAM_CHAT = RawMessages.method(SERVICE + "/StreamChat", MethodType.SERVER_STREAMING);
    private static final int MESSAGES = 1_000;
    private static final int MESSAGE_BYTES = 64 * 1024; // 64 MB in all: far more than the windows of flow control on the way

    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean backendHeldBack = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private Server backend;
    private ServiceChannels channels;
    private Server gateway;
    private ManagedChannel client;

    @BeforeEach
    void start() throws IOException {
        backend = NettyServerBuilder.forPort(0).addService(ServerServiceDefinition.builder(SERVICE)
                .addMethod(STREAM_CHAT, ServerCalls.asyncServerStreamingCall((request, responses) -> {
                    ServerCallStreamObserver<byte[]> stream = (ServerCallStreamObserver<byte[]>) responses;
                    Runnable sendWhileReady = () -> {
                        while (stream.isReady() && sent.get() < MESSAGES) {
                            stream.onNext(message(sent.getAndIncrement()));
                        }
                        if (sent.get() < MESSAGES) {
                            backendHeldBack.set(true);
                        } else if (completed.compareAndSet(false, true)) {
                            stream.onCompleted();
                        }
                    };
                    stream.setOnReadyHandler(sendWhileReady);
                    sendWhileReady.run();
                }))
                .build()).build().start();
        channels = new ServiceChannels(Map.of("llm", new GatewayProperties.Backend("127.0.0.1:" + backend.getPort(), List.of(SERVICE), null)));
        Caller tester = new Caller("tester", "demo-ministry", "test-client", Set.of("chat-user"), "not-checked-here");
        ServerInterceptor verifiedCaller = new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                    io.grpc.ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(tester.attachTo(Context.current()), call, headers, next);
            }
        };
        gateway = NettyServerBuilder.forPort(0).fallbackHandlerRegistry(new GrpcProxy(channels, List.of(verifiedCaller))).build().start();
        client = NettyChannelBuilder.forAddress("127.0.0.1", gateway.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        channels.close();
        backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aCallerThatStopsReadingHoldsTheBackendBackAndLosesNothing() throws InterruptedException {
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean inOrder = new AtomicBoolean(true);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = client.newCall(STREAM_CHAT, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                int number = ByteBuffer.wrap(message).getInt();
                inOrder.compareAndSet(true, number == received.getAndIncrement() && message.length == MESSAGE_BYTES);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.sendMessage(new byte[0]);
        call.halfClose();
        call.request(1); // then reads nothing more for a while

        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1 && backendHeldBack.get());
        Thread.sleep(1_000); // time enough for the backend to send more than it should, were it not held back
        assertThat(sent.get()).as("messages the backend could send while the caller read one").isLessThan(MESSAGES / 4);

        call.request(MESSAGES);
        assertThat(closed.orTimeout(30, TimeUnit.SECONDS).join().getCode()).isEqualTo(Status.Code.OK);
        assertThat(received.get()).isEqualTo(MESSAGES);
        assertThat(inOrder.get()).as("every message whole and in order").isTrue();
    }

    private static byte[] message(int number) {
        return ByteBuffer.allocate(MESSAGE_BYTES).putInt(number).array();
    }
}
