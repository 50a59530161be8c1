package org.khmerai.platform.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;
import org.khmerai.platform.audit.AuditAdmission;
import org.khmerai.platform.audit.CallAttribution;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Admits a gRPC call only with a valid bearer token whose roles the service's contract allows, and
 * while the caller's audit events can be kept ({@link AuditAdmission}), and makes the {@link Caller}
 * current for the rest of the call. Used at the gateway's gRPC edge
 * and again in every service.
 */
public final class JwtServerInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";

    private final TokenVerifier verifier;
    private final AccessPolicy access;
    private final AuditAdmission admission;

    public JwtServerInterceptor(TokenVerifier verifier, AccessPolicy access, AuditAdmission admission) {
        this.verifier = verifier;
        this.access = access;
        this.admission = admission;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (access.isOpen(service)) {
            return next.startCall(call, headers);
        }
        Optional<String> token = bearerToken(headers);
        if (token.isEmpty()) {
            return GrpcErrors.refuse(call, PlatformError.MISSING_TOKEN, "no bearer token in the authorization metadata");
        }
        Caller caller;
        try {
            caller = verifier.verify(token.get());
        } catch (JwtException e) {
            return GrpcErrors.refuse(call, PlatformError.INVALID_TOKEN, e.getMessage());
        }
        CallAttribution.current().ifPresent(attribution -> attribution.attribute(caller));
        Optional<AccessPolicy.Refusal> refusal = access.refusal(caller, call.getMethodDescriptor().getFullMethodName()).or(() -> admission.refusal(caller.tenant()));
        if (refusal.isPresent()) {
            return GrpcErrors.refuse(call, refusal.get().error(), refusal.get().detail());
        }
        return Contexts.interceptCall(caller.attachTo(Context.current()), call, headers, next);
    }

    private static Optional<String> bearerToken(Metadata headers) {
        return Optional.ofNullable(headers.get(AUTHORIZATION))
                .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(value -> value.substring(BEARER.length()).trim())
                .filter(value -> !value.isEmpty());
    }
}
