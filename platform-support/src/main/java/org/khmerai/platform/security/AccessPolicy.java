package org.khmerai.platform.security;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.khmerai.api.v1.AccessProto;
import org.khmerai.platform.error.PlatformError;

/**
 * Who may call which method, read from the contracts: a method's {@code method_roles} where it has
 * them, else its service's {@code allowed_roles}. A method that is not in a contract is closed to
 * everybody; only gRPC's own health and reflection services are open without a token.
 */
public final class AccessPolicy {

    /** By full method name, "khmer.audit.v1.AuditReviewService/ClaimReviewItem". */
    private final Map<String, List<String>> rolesByMethod;

    public AccessPolicy(List<ServiceDescriptor> services) {
        this.rolesByMethod = services.stream().flatMap(service -> service.getMethods().stream())
                .collect(Collectors.toUnmodifiableMap(AccessPolicy::fullName, AccessPolicy::roles));
    }

    public static AccessPolicy ofPlatformContracts() {
        return new AccessPolicy(PlatformContracts.services());
    }

    /** Probes and tooling that must answer without a token. */
    public boolean isOpen(String service) {
        return service.startsWith("grpc.health.") || service.startsWith("grpc.reflection.");
    }

    /** Why {@code caller} may not call the method {@code fullMethodName}, or empty when the contract admits them. */
    public Optional<Refusal> refusal(Caller caller, String fullMethodName) {
        List<String> allowed = rolesByMethod.get(fullMethodName);
        if (allowed == null) {
            return Optional.of(new Refusal(PlatformError.NOT_IMPLEMENTED, "no contract defines the method " + fullMethodName));
        }
        if (!caller.hasAnyRole(allowed)) {
            return Optional.of(new Refusal(PlatformError.FORBIDDEN,
                    caller.principal() + " has none of the roles " + allowed + " that " + fullMethodName + " requires"));
        }
        return Optional.empty();
    }

    private static String fullName(MethodDescriptor method) {
        return io.grpc.MethodDescriptor.generateFullMethodName(method.getService().getFullName(), method.getName());
    }

    private static List<String> roles(MethodDescriptor method) {
        List<String> own = method.getOptions().getExtension(AccessProto.methodRoles);
        return own.isEmpty() ? method.getService().getOptions().getExtension(AccessProto.allowedRoles) : own;
    }

    public record Refusal(PlatformError error, String detail) {
    }
}
