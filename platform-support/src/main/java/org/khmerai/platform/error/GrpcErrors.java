package org.khmerai.platform.error;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/** Carries a {@link PlatformError} across gRPC calls in the {@code khmer-error-code} trailer. */
public final class GrpcErrors {

    public static final Metadata.Key<String> ERROR_CODE =
            Metadata.Key.of("khmer-error-code", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    public static StatusRuntimeException exception(PlatformError error, String detail) {
        return Status.fromCode(error.grpcCode()).withDescription(detail).asRuntimeException(trailers(error));
    }

    public static Metadata trailers(PlatformError error) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, error.code());
        return trailers;
    }

    /** The platform error of a failed call: the one its trailers name, else the one its status implies. */
    public static PlatformError errorOf(Status status, Metadata trailers) {
        return Optional.ofNullable(trailers).map(t -> t.get(ERROR_CODE)).flatMap(PlatformError::byCode)
                .orElseGet(() -> PlatformError.forStatus(status.getCode()));
    }
}
