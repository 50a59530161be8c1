package org.khmerai.gateway.rest;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.khmerai.gateway.backend.GatewayProperties;
import org.khmerai.gateway.backend.RawMessages;
import org.khmerai.gateway.problem.Problems;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.function.ServerResponse.SseBuilder;

/**
 * A server-streaming call relayed to a REST caller as server-sent events: one {@code data:} event of
 * JSON per message, in the contract's JSON mapping. A call that fails before its first message is
 * answered with an ordinary problem response; one that fails after it ends the stream with an
 * {@code error} event carrying the problem. A caller who goes away cancels the call at once.
 */
@Component
class EventStreamRelay {

    /** How much longer than the call's deadline the event stream itself may stay open. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Problems problems;
    private final GatewayProperties properties;

    EventStreamRelay(Problems problems, GatewayProperties properties) {
        this.problems = problems;
        this.properties = properties;
    }

    /**
     * @param channel a channel that already carries the caller's token and request id
     * @throws io.grpc.StatusRuntimeException when the call fails before its first message
     */
    ServerResponse relay(Channel channel, RestRoute route, byte[] input, HttpServletRequest request) {
        Duration timeout = properties.streamTimeout();
        ClientCall<byte[], byte[]> call = channel.newCall(RawMessages.method(route.fullMethodName(), MethodType.SERVER_STREAMING),
                CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS));
        Relay relay = new Relay(call, route.method().getOutputType(), request);
        call.start(relay, new Metadata());
        call.sendMessage(input);
        call.halfClose();
        call.request(1);
        relay.awaitFirstEvent(timeout.plus(GRACE));
        return ServerResponse.sse(relay::attach, timeout.plus(GRACE));
    }

    /**
     * One call's messages to one event stream. Until the caller's stream is open it holds the first
     * message or the close; after that it asks the service for one message at a time, as fast as
     * the caller reads them.
     */
    private final class Relay extends ClientCall.Listener<byte[]> {

        private final ClientCall<byte[], byte[]> call;
        private final Descriptor type;
        private final HttpServletRequest request;
        private final CompletableFuture<Void> firstEvent = new CompletableFuture<>();
        private SseBuilder sse;
        private byte[] firstMessage;
        private Status closedWith;
        private Metadata closedTrailers;
        private boolean finished;

        Relay(ClientCall<byte[], byte[]> call, Descriptor type, HttpServletRequest request) {
            this.call = call;
            this.type = type;
            this.request = request;
        }

        @Override
        public synchronized void onMessage(byte[] message) {
            if (sse == null) {
                firstMessage = message;
                firstEvent.complete(null);
            } else if (send(message)) {
                call.request(1);
            }
        }

        @Override
        public synchronized void onClose(Status status, Metadata trailers) {
            if (sse == null) {
                closedWith = status;
                closedTrailers = trailers;
                firstEvent.complete(null);
            } else {
                finish(status, trailers);
            }
        }

        void awaitFirstEvent(Duration timeout) {
            try {
                firstEvent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.cancel("the gateway is stopping", e);
                throw Status.UNAVAILABLE.withDescription("the gateway is stopping").asRuntimeException();
            } catch (TimeoutException | ExecutionException e) {
                call.cancel("no answer in time", e);
                throw Status.DEADLINE_EXCEEDED.withDescription("the service did not answer within " + timeout).asRuntimeException();
            }
            synchronized (this) {
                if (firstMessage == null && !closedWith.isOk()) {
                    throw closedWith.asRuntimeException(closedTrailers);
                }
            }
        }

        synchronized void attach(SseBuilder sse) {
            this.sse = sse;
            sse.onError(failure -> call.cancel("the REST caller went away", failure));
            sse.onTimeout(() -> call.cancel("the event stream ran past its time", null));
            if (firstMessage != null && !send(firstMessage)) {
                return;
            }
            if (closedWith != null) {
                finish(closedWith, closedTrailers);
            } else {
                call.request(1);
            }
        }

        /** @return whether the caller has it; when not, the call is cancelled and the stream ended */
        private boolean send(byte[] message) {
            if (finished) {
                return false;
            }
            String json;
            try {
                json = JsonTranscoding.print(DynamicMessage.parseFrom(type, message));
            } catch (InvalidProtocolBufferException e) {
                call.cancel("an answer that does not parse", e);
                finish(PlatformError.INTERNAL, "the service answered with a message that does not parse");
                return false;
            }
            try {
                sse.data(json);
                return true;
            } catch (IOException callerGone) {
                finished = true;
                call.cancel("the REST caller went away", callerGone);
                sse.error(callerGone);
                return false;
            }
        }

        private void finish(Status status, Metadata trailers) {
            if (status.isOk()) {
                if (!finished) {
                    finished = true;
                    sse.complete();
                }
                return;
            }
            finish(GrpcErrors.errorOf(status, trailers),
                    Optional.ofNullable(status.getDescription()).orElse(status.getCode().name()));
        }

        private void finish(PlatformError error, String detail) {
            if (finished) {
                return;
            }
            finished = true;
            try {
                sse.event("error").data(problems.json(request, error, detail));
                sse.complete();
            } catch (IOException callerGone) {
                sse.error(callerGone);
            }
        }
    }
}
