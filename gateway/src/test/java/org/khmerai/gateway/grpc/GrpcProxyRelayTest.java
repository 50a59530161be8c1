package org.khmerai.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
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
 * message still arrives, in order, once the caller reads on. It passes messages on from the
 * backend channel's event loop, so what may wait (closing a call publishes its audit event) must
 * not run there. The token check is not what this test is about: a fixed caller stands in for it
 * (the platform's tests check tokens with Keycloak).
 */
class GrpcProxyRelayTest {

    private static final String SERVICE = "khmer.llm.v1.ChatService";
    private static final MethodDescriptor<byte[], byte[]> STREAM_CHAT = RawMessages.method(SERVICE + "/StreamChat", MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<byte[], byte[]> CHAT = RawMessages.method(SERVICE + "/Chat", MethodType.UNARY);
    private static final int MESSAGES = 1_000;
    private static final int MESSAGE_BYTES = 64 * 1024; // 64 MB in all: far more than the windows of flow control on the way

    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean backendHeldBack = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    /** While closed, the gateway's close of a unary call waits, as publishing its audit event may wait for Kafka. */
    private final CountDownLatch closingAllowed = new CountDownLatch(1);
    private final AtomicBoolean closeWaiting = new AtomicBoolean();
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
                .addMethod(CHAT, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(new byte[] {42});
                    response.onCompleted();
                }))
                .build()).build().start();
        channels = new ServiceChannels(Map.of("llm", new GatewayProperties.Backend("127.0.0.1:" + backend.getPort(), List.of(SERVICE), null, 2)));
        Caller tester = new Caller("tester", "demo-ministry", "test-client", Set.of("chat-user"), "not-checked-here");
        ServerInterceptor verifiedCaller = new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                    io.grpc.ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(tester.attachTo(Context.current()), call, headers, next);
            }
        };
        ServerInterceptor slowClose = new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                    io.grpc.ServerCallHandler<Q, R> next) {
                if (call.getMethodDescriptor().getType() != MethodType.UNARY) {
                    return next.startCall(call, headers);
                }
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        closeWaiting.set(true);
                        try {
                            closingAllowed.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        super.close(status, trailers);
                    }
                }, headers);
            }
        };
        gateway = NettyServerBuilder.forPort(0).fallbackHandlerRegistry(new GrpcProxy(channels, List.of(slowClose, verifiedCaller)))
                .build().start();
        client = NettyChannelBuilder.forAddress("127.0.0.1", gateway.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        closingAllowed.countDown();
        client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        channels.close();
        backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aCallerThatStopsReadingHoldsTheBackendBackAndLosesNothing() throws InterruptedException {
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean inOrder = new AtomicBoolean(true);
        Call call = Call.start(client, STREAM_CHAT, message -> {
            int number = ByteBuffer.wrap(message).getInt();
            inOrder.compareAndSet(true, number == received.getAndIncrement() && message.length == MESSAGE_BYTES);
        });
        call.request(1); // then reads nothing more for a while

        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1 && backendHeldBack.get());
        Thread.sleep(1_000); // time enough for the backend to send more than it should, were it not held back
        assertThat(sent.get()).as("messages the backend could send while the caller read one").isLessThan(MESSAGES / 4);

        call.request(MESSAGES);
        assertThat(call.status(Duration.ofSeconds(30))).isEqualTo(Status.Code.OK);
        assertThat(received.get()).isEqualTo(MESSAGES);
        assertThat(inOrder.get()).as("every message whole and in order").isTrue();
    }

    @Test
    void aCloseThatWaitsHoldsUpNoOtherCall() {
        AtomicInteger received = new AtomicInteger();
        Call stream = Call.start(client, STREAM_CHAT, message -> received.incrementAndGet());
        stream.request(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);

        Call unary = Call.start(client, CHAT, message -> { });
        unary.request(1);
        await().atMost(Duration.ofSeconds(10)).untilTrue(closeWaiting);

        // the backend's answers to both calls come over one connection, read by one event loop
        stream.request(MESSAGES);
        assertThat(stream.status(Duration.ofSeconds(20))).isEqualTo(Status.Code.OK);
        assertThat(received.get()).isEqualTo(MESSAGES);
        assertThat(unary.closed).as("the unary call, its close still waiting").isNotDone();

        closingAllowed.countDown();
        assertThat(unary.status(Duration.ofSeconds(10))).isEqualTo(Status.Code.OK);
    }

    /** A call through the gateway with an empty request, its messages handed to {@code onMessage}. */
    private record Call(ClientCall<byte[], byte[]> call, CompletableFuture<Status> closed) {

        static Call start(ManagedChannel channel, MethodDescriptor<byte[], byte[]> method, Consumer<byte[]> onMessage) {
            Call started = new Call(channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)),
                    new CompletableFuture<>());
            started.call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    onMessage.accept(message);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    started.closed.complete(status);
                }
            }, new Metadata());
            started.call.sendMessage(new byte[0]);
            started.call.halfClose();
            return started;
        }

        void request(int messages) {
            call.request(messages);
        }

        Status.Code status(Duration within) {
            return closed.orTimeout(within.toMillis(), TimeUnit.MILLISECONDS).join().getCode();
        }
    }

    private static byte[] message(int number) {
        return ByteBuffer.allocate(MESSAGE_BYTES).putInt(number).array();
    }
}
