package org.khmerai.platform.security;

import io.grpc.Context;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authenticated principal of a call, read from a verified Keycloak token.
 *
 * @param principal   the user name or service account that called ({@code preferred_username}, else {@code sub})
 * @param tenant      the ministry the caller belongs to ({@code tenant} claim)
 * @param clientId    the OAuth client the token was issued to ({@code azp})
 * @param roles       Keycloak realm roles
 * @param bearerToken the token itself, forwarded from the gateway to the services that check it again
 */
public record Caller(String principal, String tenant, String clientId, Set<String> roles, String bearerToken) {

    public static final String TENANT_CLAIM = "tenant";

    private static final Context.Key<Caller> CONTEXT_KEY = Context.key("khmer-ai-caller");

    public static Caller of(Jwt jwt) {
        String principal = Optional.ofNullable(jwt.getClaimAsString("preferred_username")).orElse(jwt.getSubject());
        return new Caller(principal, jwt.getClaimAsString(TENANT_CLAIM), Optional.ofNullable(jwt.getClaimAsString("azp")).orElse(""),
                realmRoles(jwt), jwt.getTokenValue());
    }

    public boolean hasAnyRole(Collection<String> allowed) {
        return allowed.stream().anyMatch(roles::contains);
    }

    /** The caller of the current gRPC call, once {@link JwtServerInterceptor} has admitted it. */
    public static Optional<Caller> current() {
        return Optional.ofNullable(CONTEXT_KEY.get());
    }

    /** The caller of the current gRPC call; a call that got this far without one is refused as unauthenticated. */
    public static Caller required() {
        return current().orElseThrow(() -> GrpcErrors.exception(PlatformError.MISSING_TOKEN, "this call needs an authenticated caller"));
    }

    /** A copy of {@code context} in which this caller is {@link #current()}. */
    public Context attachTo(Context context) {
        return context.withValue(CONTEXT_KEY, this);
    }

    private static Set<String> realmRoles(Jwt jwt) {
        Object realmAccess = jwt.getClaims().get("realm_access");
        if (realmAccess instanceof Map<?, ?> access && access.get("roles") instanceof Collection<?> roles) {
            return roles.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
        }
        return Set.of();
    }
}
