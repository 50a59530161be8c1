package org.khmerai.platform.security;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.khmerai.api.v1.AccessProto;
import org.khmerai.platform.error.PlatformError;

/**
 * Who may call which service, read from the {@code allowed_roles} option of each contract.
 * A service that is not in a contract is closed to everybody; only gRPC's own health and
 * reflection services are open without a token.
 */
public final class AccessPolicy {

    private final Map<String, List<String>> rolesByService;

    public AccessPolicy(List<ServiceDescriptor> services) {
        this.rolesByService = services.stream().collect(Collectors.toUnmodifiableMap(
                ServiceDescriptor::getFullName, service -> service.getOptions().getExtension(AccessProto.allowedRoles)));
    }

    public static AccessPolicy ofPlatformContracts() {
        return new AccessPolicy(PlatformContracts.services());
    }

    /** Probes and tooling that must answer without a token. */
    public boolean isOpen(String service) {
        return service.startsWith("grpc.health.") || service.startsWith("grpc.reflection.");
    }

    /** Why {@code caller} may not call {@code service}, or empty when the contract admits them. */
    public Optional<Refusal> refusal(Caller caller, String service) {
        List<String> allowed = rolesByService.get(service);
        if (allowed == null) {
            return Optional.of(new Refusal(PlatformError.NOT_IMPLEMENTED, "no contract defines the service " + service));
        }
        if (!caller.hasAnyRole(allowed)) {
            return Optional.of(new Refusal(PlatformError.FORBIDDEN,
                    caller.principal() + " has none of the roles " + allowed + " that " + service + " requires"));
        }
        return Optional.empty();
    }

    public record Refusal(PlatformError error, String detail) {
    }
}
