package org.khmerai.gateway.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.khmerai.audit.v1.Content;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.Caller;

/**
 * What the audit record of one REST exchange says, filled in as the exchange goes: opened by
 * {@link RestAuditFilter} before anything else runs, completed by the transcoder and by whoever
 * answers with a problem.
 */
public final class AuditedExchange {

    private static final String ATTRIBUTE = AuditedExchange.class.getName();

    private final String requestId;
    private volatile Caller caller;
    private volatile String method;
    private volatile Content input;
    private volatile PlatformError error;

    AuditedExchange(String requestId) {
        this.requestId = requestId;
    }

    public static Optional<AuditedExchange> of(HttpServletRequest request) {
        return Optional.ofNullable((AuditedExchange) request.getAttribute(ATTRIBUTE));
    }

    void attachTo(HttpServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }

    public String requestId() {
        return requestId;
    }

    public void caller(Caller caller) {
        this.caller = caller;
    }

    /** The gRPC method the exchange was routed to. */
    public void method(String fullMethodName) {
        this.method = fullMethodName;
    }

    public void input(Content input) {
        this.input = input;
    }

    public void error(PlatformError error) {
        this.error = error;
    }

    Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }

    Optional<String> method() {
        return Optional.ofNullable(method);
    }

    Optional<Content> input() {
        return Optional.ofNullable(input);
    }

    Optional<PlatformError> error() {
        return Optional.ofNullable(error);
    }
}
