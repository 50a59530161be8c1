package org.khmerai.platform.boot;

import java.net.URI;
import java.time.Duration;
import org.khmerai.platform.security.TokenVerifier.TokenProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code khmer-ai.security.*}: the Keycloak realm whose tokens the platform accepts.
 *
 * @param issuerUri {@code KHMER_AI_SECURITY_ISSUER_URI}, for example {@code http://127.0.0.1:8180/realms/khmer-ai}
 * @param jwkSetUri derived from the issuer when absent
 * @param audience  {@code khmer-ai-api} when absent
 * @param clockSkew 30 s when absent
 * @param jwkSetRefresh how long the realm's keys are used before they are fetched again, in the background; 5 min when absent
 * @param jwkSetOutageTolerance how long the keys last fetched stay in use while Keycloak cannot be reached; 1 h when absent
 */
@ConfigurationProperties("khmer-ai.security")
public record PlatformSecurityProperties(URI issuerUri, URI jwkSetUri, String audience, Duration clockSkew, Duration jwkSetRefresh,
                                         Duration jwkSetOutageTolerance) {

    public TokenProperties toTokenProperties() {
        return new TokenProperties(issuerUri, jwkSetUri, audience, clockSkew, jwkSetRefresh, jwkSetOutageTolerance);
    }
}
