package org.khmerai.platform.error;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.Supplier;

/** Carries a {@link PlatformError} across gRPC calls in the {@code khmer-error-code} trailer. */
public final class GrpcErrors {

    public static final Metadata.Key<String> ERROR_CODE =
            Metadata.Key.of("khmer-error-code", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    public static StatusRuntimeException exception(PlatformError error, String detail) {
        return Status.fromCode(error.grpcCode()).withDescription(detail).asRuntimeException(trailers(error));
    }

    /** The caller's request is wrong ({@link PlatformError#INVALID_ARGUMENT}); {@code detail} names what. */
    public static StatusRuntimeException invalid(String detail) {
        return exception(PlatformError.INVALID_ARGUMENT, detail);
    }

    /** Closes a call that will not be served and returns the listener for its ignored messages. */
    public static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, PlatformError error, String detail) {
        call.close(Status.fromCode(error.grpcCode()).withDescription(detail), trailers(error));
        return new ServerCall.Listener<>() {
        };
    }

    public static Metadata trailers(PlatformError error) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, error.code());
        return trailers;
    }

    /**
     * Answers a unary call with what {@code result} returns, or with the precise status a check
     * inside it failed with; other exceptions are bugs and reach gRPC's own handling.
     */
    public static <T> void answer(StreamObserver<T> response, Supplier<T> result) {
        T value;
        try {
            value = result.get();
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    /** The platform error of a failed call: the one its trailers name, else the one its status implies. */
    public static PlatformError errorOf(Status status, Metadata trailers) {
        return Optional.ofNullable(trailers).map(t -> t.get(ERROR_CODE)).flatMap(PlatformError::byCode)
                .orElseGet(() -> PlatformError.forStatus(status.getCode()));
    }
}
