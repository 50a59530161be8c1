package org.khmerai.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The realm's keys as a service reads them from a Keycloak realm's JWKS endpoint (here a local HTTP
 * server serving real RSA keys, and real RS256 tokens signed with them): fetched once for many
 * tokens, again in the background, again when a token names a new key, and kept while Keycloak is down.
 */
class RealmKeysTest {

    private static final String ISSUER = "http://127.0.0.1/realms/khmer-ai";

    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger fetchesWhileDown = new AtomicInteger();
    private volatile boolean keycloakDown;
    private HttpServer jwks;
    private RealmKeys keys;

    @BeforeEach
    void startKeycloaksKeys() throws IOException {
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/certs", this::serveKeys);
        jwks.start();
    }

    @AfterEach
    void stop() {
        if (keys != null) {
            keys.close();
        }
        jwks.stop(0);
    }

    @Test
    void theKeysAreFetchedOnceForManyTokens() throws Exception {
        RSAKey key = publishNewKey("key-1");
        JwtDecoder decoder = decoder(Duration.ofMinutes(5), Duration.ofHours(1));

        for (int i = 0; i < 5; i++) {
            assertVerifies(decoder, key, "portal-" + i);
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void theKeysAreFetchedAgainInTheBackgroundBeforeTheyAreDue() throws Exception {
        RSAKey key = publishNewKey("key-1");
        JwtDecoder decoder = fetchedOnce(key, Duration.ofSeconds(2), Duration.ofHours(1));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fetches).as("with no call asking").hasValueGreaterThanOrEqualTo(3));
    }

    @Test
    void aTokenSignedWithANewKeyHasTheKeysFetchedAtOnce() throws Exception {
        RSAKey first = publishNewKey("key-1");
        JwtDecoder decoder = fetchedOnce(first, Duration.ofMinutes(5), Duration.ofHours(1));

        RSAKey rotated = publishNewKey("key-2");
        assertVerifies(decoder, rotated, "portal");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void tokensStillVerifyWhileKeycloakIsDownForLessThanTheTolerance() throws Exception {
        RSAKey key = publishNewKey("key-1");
        JwtDecoder decoder = fetchedOnce(key, Duration.ofSeconds(1), Duration.ofHours(1));

        keycloakDown = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> fetchesWhileDown.get() > 0); // the refresh ahead of time failed
        Thread.sleep(Duration.ofSeconds(1)); // and the keys fetched before are past their refresh period
        for (int i = 0; i < 5; i++) {
            assertVerifies(decoder, key, "portal-" + i);
        }
        assertThat(fetchesWhileDown).as("Keycloak asked again").hasValueGreaterThan(1);
    }

    @Test
    void pastTheToleranceNoTokenVerifiesUntilKeycloakIsBack() throws Exception {
        RSAKey key = publishNewKey("key-1");
        JwtDecoder decoder = fetchedOnce(key, Duration.ofSeconds(1), Duration.ofSeconds(2));

        keycloakDown = true;
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThatThrownBy(() -> decoder.decode(token(key, "late-" + System.nanoTime()))).isInstanceOf(JwtException.class));

        keycloakDown = false;
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertVerifies(decoder, key, "back"));
    }

    @Test
    void nonsensicalPeriodsAreRefusedWithTheSettingsName() {
        URI issuer = URI.create(ISSUER);
        assertThatThrownBy(() -> new TokenVerifier.TokenProperties(issuer, null, null, null, Duration.ZERO, null))
                .hasMessageContaining("khmer-ai.security.jwk-set-refresh");
        assertThatThrownBy(() -> new TokenVerifier.TokenProperties(issuer, null, null, null, null, Duration.ofSeconds(-1)))
                .hasMessageContaining("khmer-ai.security.jwk-set-outage-tolerance");
    }

    /** A decoder whose keys were fetched for a first token signed with {@code key}. */
    private JwtDecoder fetchedOnce(RSAKey key, Duration refresh, Duration outageTolerance) throws JOSEException {
        JwtDecoder decoder = decoder(refresh, outageTolerance);
        assertVerifies(decoder, key, "portal");
        return decoder;
    }

    private JwtDecoder decoder(Duration refresh, Duration outageTolerance) {
        TokenVerifier.TokenProperties properties = new TokenVerifier.TokenProperties(URI.create(ISSUER),
                URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/certs"), null, null, refresh, outageTolerance);
        keys = new RealmKeys(properties);
        return TokenVerifier.decoder(properties, keys);
    }

    private static void assertVerifies(JwtDecoder decoder, RSAKey key, String principal) throws JOSEException {
        assertThat(decoder.decode(token(key, principal)).getClaimAsString("preferred_username")).isEqualTo(principal);
    }

    private RSAKey publishNewKey(String id) throws JOSEException {
        RSAKey key = new RSAKeyGenerator(2048).keyID(id).generate();
        published.add(key);
        return key;
    }

    private void serveKeys(HttpExchange exchange) throws IOException {
        fetches.incrementAndGet();
        if (keycloakDown) {
            fetchesWhileDown.incrementAndGet();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        byte[] body = new JWKSet(published.stream().<JWK>map(RSAKey::toPublicJWK).toList())
                .toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** An access token as Keycloak issues it for a portal of the "education" ministry. */
    private static String token(RSAKey key, String principal) throws JOSEException {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).audience("khmer-ai-api").subject(principal)
                        .claim("preferred_username", principal).claim("tenant", "education")
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
