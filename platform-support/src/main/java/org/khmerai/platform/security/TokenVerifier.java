package org.khmerai.platform.security;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies Keycloak access tokens: RS256 signature against the realm's keys ({@link RealmKeys}),
 * issuer, expiry with a small clock skew, audience, and a tenant claim.
 * Unsigned ({@code alg: none}) tokens never verify. A token that verified is remembered until it
 * expires, so that a caller who sends the same token with every call (as portals and applications do
 * for its lifetime of minutes) has its signature checked once, not at every call; only the token's
 * expiry can change whether it verifies, and past it the token is checked again, clock skew included.
 * A new token brought by several calls at once (an application's many streams just after it renewed
 * its token) is checked once: the others wait for that check and share its verdict, caller or refusal.
 * A refusal is not remembered: the next call with the token checks it again.
 */
public final class TokenVerifier {

    /** At most this many verified tokens are remembered; the expired ones are forgotten first. */
    static final int REMEMBERED_TOKENS = 10_000;

    private record Verified(Caller caller, Instant expiresAt) {
    }

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Caller>> underWay = new ConcurrentHashMap<>();

    public TokenVerifier(JwtDecoder decoder) {
        this(decoder, Clock.systemUTC());
    }

    TokenVerifier(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    /**
     * The decoder the gateway's HTTP resource server uses too, so both edges judge tokens alike:
     * signatures checked against {@code keys}, the realm's.
     */
    public static JwtDecoder decoder(TokenProperties properties, RealmKeys keys) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys)
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(List.of(
                new JwtTimestampValidator(properties.clockSkew()),
                new JwtIssuerValidator(properties.issuerUri().toString()),
                claimContains("aud", properties.audience()),
                claimPresent(Caller.TENANT_CLAIM))));
        return decoder;
    }

    /** The caller a token stands for; throws {@link JwtException} when the token does not verify. */
    public Caller verify(String token) {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null && now.isBefore(known.expiresAt())) {
            return known.caller();
        }
        CompletableFuture<Caller> check = new CompletableFuture<>();
        CompletableFuture<Caller> earlier = underWay.putIfAbsent(token, check);
        if (earlier != null) {
            return verdictOf(earlier);
        }
        try {
            Caller caller = check(token, now);
            check.complete(caller);
            return caller;
        } catch (RuntimeException | Error failure) {
            // an Error too, so that no call waiting on this check waits for ever
            check.completeExceptionally(failure);
            throw failure;
        } finally {
            underWay.remove(token, check);
        }
    }

    private Caller check(String token, Instant now) {
        Jwt jwt = decoder.decode(token);
        Caller caller = Caller.of(jwt);
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
            remember(token, new Verified(caller, jwt.getExpiresAt()), now);
        }
        return caller;
    }

    /** The verdict of another call's check of the same token: its caller, or its very refusal. */
    private static Caller verdictOf(CompletableFuture<Caller> check) {
        try {
            return check.join();
        } catch (CompletionException shared) {
            switch (shared.getCause()) {
                case RuntimeException refusal -> throw refusal;
                case Error error -> throw error;
                default -> throw shared;
            }
        }
    }

    private void remember(String token, Verified caller, Instant now) {
        if (verified.size() >= REMEMBERED_TOKENS) {
            verified.values().removeIf(known -> !now.isBefore(known.expiresAt()));
            if (verified.size() >= REMEMBERED_TOKENS) {
                verified.clear();
            }
        }
        verified.put(token, caller);
    }

    private static OAuth2TokenValidator<Jwt> claimContains(String claim, String value) {
        return jwt -> {
            List<String> values = jwt.getClaimAsStringList(claim);
            return values != null && values.contains(value) ? OAuth2TokenValidatorResult.success()
                    : failure("the token's " + claim + " does not include " + value);
        };
    }

    private static OAuth2TokenValidator<Jwt> claimPresent(String claim) {
        return jwt -> jwt.hasClaim(claim) && !jwt.getClaimAsString(claim).isBlank() ? OAuth2TokenValidatorResult.success()
                : failure("the token has no " + claim + " claim");
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
    }

    /**
     * Where tokens come from and what they must say.
     *
     * @param issuerUri the realm, {@code http://127.0.0.1:8180/realms/khmer-ai} locally
     * @param jwkSetUri the realm's signing keys; derived from the issuer when absent
     * @param audience  the audience every platform token carries
     * @param clockSkew how far token times may disagree with this machine's clock
     * @param jwkSetRefresh how long the realm's keys are used before they are fetched again (in the
     *                  background, before they are due)
     * @param jwkSetOutageTolerance how long the keys last fetched stay in use while Keycloak cannot be reached
     */
    public record TokenProperties(URI issuerUri, URI jwkSetUri, String audience, Duration clockSkew, Duration jwkSetRefresh,
                                  Duration jwkSetOutageTolerance) {

        public TokenProperties {
            if (issuerUri == null) {
                throw new IllegalArgumentException("khmer-ai.security.issuer-uri must be set");
            }
            jwkSetUri = jwkSetUri != null ? jwkSetUri : URI.create(issuerUri + "/protocol/openid-connect/certs");
            audience = audience != null ? audience : "khmer-ai-api";
            clockSkew = clockSkew != null ? clockSkew : Duration.ofSeconds(30);
            jwkSetRefresh = jwkSetRefresh != null ? jwkSetRefresh : Duration.ofMinutes(5);
            jwkSetOutageTolerance = jwkSetOutageTolerance != null ? jwkSetOutageTolerance : Duration.ofHours(1);
            if (!jwkSetRefresh.isPositive()) {
                throw new IllegalArgumentException("khmer-ai.security.jwk-set-refresh must be positive, not " + jwkSetRefresh);
            }
            if (jwkSetOutageTolerance.isNegative()) {
                throw new IllegalArgumentException("khmer-ai.security.jwk-set-outage-tolerance must not be negative, not "
                        + jwkSetOutageTolerance);
            }
        }
    }
}
