package org.khmerai.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.BiConsumer;
import org.khmerai.platform.security.Caller;

/**
 * A unary call to one of the service's gRPC implementations, made directly with a verified caller in
 * the gRPC context as the token check would put it there.
 */
record UnaryCall<R>(R value, Throwable error) {

    static <Q, R> UnaryCall<R> as(Caller caller, BiConsumer<Q, StreamObserver<R>> method, Q request) {
        Observer<R> observer = new Observer<>();
        caller.attachTo(Context.current()).run(() -> method.accept(request, observer));
        return new UnaryCall<>(observer.value, observer.error);
    }

    /** The answer, failing the test if the call failed. */
    static <Q, R> R ok(Caller caller, BiConsumer<Q, StreamObserver<R>> method, Q request) {
        UnaryCall<R> call = as(caller, method, request);
        assertThat(call.error()).as("the call's error").isNull();
        return call.value();
    }

    Status.Code code() {
        return error == null ? Status.Code.OK : Status.fromThrowable(error).getCode();
    }

    private static final class Observer<R> implements StreamObserver<R> {
        R value;
        Throwable error;

        @Override
        public void onNext(R value) {
            this.value = value;
        }

        @Override
        public void onError(Throwable error) {
            this.error = error;
        }

        @Override
        public void onCompleted() {
        }
    }
}
