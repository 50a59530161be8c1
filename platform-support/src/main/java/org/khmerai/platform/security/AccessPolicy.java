package org.khmerai.platform.security;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.khmerai.api.v1.AccessProto;

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

    /** The roles that admit a caller, or empty when no contract defines the service. */
    public Optional<List<String>> allowedRoles(String service) {
        return Optional.ofNullable(rolesByService.get(service));
    }
}
