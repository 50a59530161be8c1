package org.khmerai.gateway.grpc;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * One call forwarded by the gateway: the caller's messages go to the backend and the backend's to
 * the caller, one at a time, and each side is asked for its next message only once the other side
 * can take it. A caller that reads slowly so holds the backend back through gRPC flow control,
 * instead of having the backend's answer pile up in the gateway's memory; likewise for a backend
 * that reads a caller's stream slowly.
 */
final class CallRelay {

    private final ServerCall<byte[], byte[]> caller;
    private final ClientCall<byte[], byte[]> backend;
    /** A message was passed on while the receiving side was full: its sender is asked for the next once that side is ready. */
    private boolean responseOwed;
    private boolean requestOwed;

    CallRelay(ServerCall<byte[], byte[]> caller, ClientCall<byte[], byte[]> backend) {
        this.caller = caller;
        this.backend = backend;
    }

    /** Starts the backend's call and asks each side for its first message. */
    ServerCall.Listener<byte[]> start(Metadata backendHeaders) {
        backend.start(new BackendListener(), backendHeaders);
        backend.request(1);
        caller.request(1);
        return new CallerListener();
    }

    private synchronized void responsePassedOn() {
        if (caller.isReady()) {
            backend.request(1);
        } else {
            responseOwed = true;
        }
    }

    private synchronized void callerReady() {
        if (responseOwed && caller.isReady()) {
            responseOwed = false;
            backend.request(1);
        }
    }

    private synchronized void requestPassedOn() {
        if (backend.isReady()) {
            caller.request(1);
        } else {
            requestOwed = true;
        }
    }

    private synchronized void backendReady() {
        if (requestOwed && backend.isReady()) {
            requestOwed = false;
            caller.request(1);
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
            responsePassedOn();
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            caller.close(status, trailers);
        }

        @Override
        public void onReady() {
            backendReady();
        }
    }

    /** What the caller sends, passed on to the backend. */
    private final class CallerListener extends ServerCall.Listener<byte[]> {

        @Override
        public void onMessage(byte[] message) {
            backend.sendMessage(message);
            requestPassedOn();
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
            callerReady();
        }
    }
}
