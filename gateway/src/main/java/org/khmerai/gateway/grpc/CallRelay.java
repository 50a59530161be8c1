package org.khmerai.gateway.grpc;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.function.BooleanSupplier;

/**
 * One call forwarded by the gateway: the caller's messages go to the backend and the backend's to
 * the caller, one at a time, and each side is asked for its next message only once the other side
 * can take it. A caller that reads slowly so holds the backend back through gRPC flow control,
 * instead of having the backend's answer pile up in the gateway's memory; likewise for a backend
 * that reads a caller's stream slowly. The backend's messages are passed on from its channel's
 * event loop (nothing on the way waits), its close on a thread of its own.
 */
final class CallRelay {

    private final ServerCall<byte[], byte[]> caller;
    private final ClientCall<byte[], byte[]> backend;
    private final Flow responses;
    private final Flow requests;

    CallRelay(ServerCall<byte[], byte[]> caller, ClientCall<byte[], byte[]> backend) {
        this.caller = caller;
        this.backend = backend;
        this.responses = new Flow(caller::isReady, () -> backend.request(1));
        this.requests = new Flow(backend::isReady, () -> caller.request(1));
    }

    /** Starts the backend's call and asks each side for its first message. */
    ServerCall.Listener<byte[]> start(Metadata backendHeaders) {
        backend.start(new BackendListener(), backendHeaders);
        backend.request(1);
        caller.request(1);
        return new CallerListener();
    }

    /** One direction of the call: its sender is asked for the next message as soon as its receiver can take it. */
    private static final class Flow {

        private final BooleanSupplier receiverReady;
        private final Runnable askSender;
        /** A message was passed on while the receiver was full: the sender is asked again once it is ready. */
        private boolean owed;

        Flow(BooleanSupplier receiverReady, Runnable askSender) {
            this.receiverReady = receiverReady;
            this.askSender = askSender;
        }

        synchronized void passedOn() {
            if (receiverReady.getAsBoolean()) {
                askSender.run();
            } else {
                owed = true;
            }
        }

        synchronized void receiverReady() {
            if (owed && receiverReady.getAsBoolean()) {
                owed = false;
                askSender.run();
            }
        }
    }

    /** What the backend answers, passed on to the caller. */
    private final class BackendListener extends ClientCall.Listener<byte[]> {

        @Override
        public void onHeaders(Metadata headers) {
            caller.sendHeaders(headers);
        }

        @Override
        public void onMessage(byte[] message) {
            caller.sendMessage(message);
            responses.passedOn();
        }

        /** On a thread of its own: closing the caller's call publishes its audit event, which may wait for Kafka. */
        @Override
        public void onClose(Status status, Metadata trailers) {
            Thread.ofVirtual().name("relay-close").start(() -> caller.close(status, trailers));
        }

        @Override
        public void onReady() {
            requests.receiverReady();
        }
    }

    /** What the caller sends, passed on to the backend. */
    private final class CallerListener extends ServerCall.Listener<byte[]> {

        @Override
        public void onMessage(byte[] message) {
            backend.sendMessage(message);
            requests.passedOn();
        }

        @Override
        public void onHalfClose() {
            backend.halfClose();
        }

        @Override
        public void onCancel() {
            backend.cancel("the caller cancelled", null);
        }

        @Override
        public void onReady() {
            responses.receiverReady();
        }
    }
}
