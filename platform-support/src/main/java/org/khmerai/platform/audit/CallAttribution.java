package org.khmerai.platform.audit;

import io.grpc.Context;
import java.util.Optional;
import org.khmerai.audit.v1.ModelUsage;
import org.khmerai.platform.security.Caller;

/**
 * Which request a call belongs to and who it is attributed to in its audit record. The audit
 * interceptor runs outside the token check, so that rejected calls are recorded too; it opens
 * this slot and the check fills in the caller.
 */
public final class CallAttribution {

    private static final Context.Key<CallAttribution> CONTEXT_KEY = Context.key("khmer-ai-call-attribution");

    private final String requestId;
    private volatile Caller caller;
    private volatile ModelService served;

    /** What a model-backed service reports of the model that served the call. */
    public record ModelService(String model, String backend, ModelUsage usage) {
    }

    CallAttribution(String requestId) {
        this.requestId = requestId;
    }

    public static Optional<CallAttribution> current() {
        return Optional.ofNullable(CONTEXT_KEY.get());
    }

    public void attribute(Caller caller) {
        this.caller = caller;
    }

    /** Shared by the events the gateway and the services publish for one request. */
    public String requestId() {
        return requestId;
    }

    /** Called by a model-backed service, for the call's audit event: which alias and server answered, and the usage. */
    public void servedBy(String model, String backend, ModelUsage usage) {
        this.served = new ModelService(model, backend, usage);
    }

    public Optional<ModelService> servedBy() {
        return Optional.ofNullable(served);
    }

    public Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }

    Context attachTo(Context context) {
        return context.withValue(CONTEXT_KEY, this);
    }
}
