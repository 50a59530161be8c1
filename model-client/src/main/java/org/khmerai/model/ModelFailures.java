package org.khmerai.model;

import io.grpc.StatusRuntimeException;
import java.util.Locale;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;

/** How a model call that did not finish is told to the platform's caller. */
public final class ModelFailures {

    private ModelFailures() {
    }

    /**
     * For a call that needs a model when no server serves its alias: which settings to give.
     *
     * @param settings the service's settings prefix, {@code khmer-ai.llm} for example
     */
    public static StatusRuntimeException notConfigured(String settings, String alias) {
        String environment = settings.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_') + "_SERVERS_0_";
        return GrpcErrors.exception(PlatformError.NOT_CONFIGURED, "no model server is configured for "
                + (alias.isBlank() ? "the default model" : "the model \"" + alias + "\"")
                + ": list its servers in " + settings + ".servers (alias, name, url, model: " + environment + "ALIAS, ..._0_URL, ...)"
                + " and name the default alias in " + settings + ".default-model");
    }

    /** @throws IllegalArgumentException for an outcome that is not a failure */
    public static StatusRuntimeException of(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Incomplete incomplete -> GrpcErrors.exception(PlatformError.INCOMPLETE_ANSWER,
                    "the model server " + incomplete.server().name() + " stopped before it finished: " + incomplete.why());
            case Outcome.Refused refused -> GrpcErrors.exception(PlatformError.INVALID_ARGUMENT,
                    "the model server " + refused.server().name() + " refused the request: " + refused.why());
            case Outcome.DeadlineExceeded late -> GrpcErrors.exception(PlatformError.DEADLINE_EXCEEDED, late.why());
            case Outcome.Unavailable unavailable -> GrpcErrors.exception(PlatformError.SERVICE_UNAVAILABLE,
                    "no model server answered: " + unavailable.why());
            case Outcome.Cancelled cancelled -> GrpcErrors.exception(PlatformError.SERVICE_UNAVAILABLE, "the call was cancelled");
            default -> throw new IllegalArgumentException("not a failure: " + outcome);
        };
    }
}
