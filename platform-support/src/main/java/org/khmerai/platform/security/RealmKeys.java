package org.khmerai.platform.security;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;
import com.nimbusds.jose.jwk.source.RefreshAheadCachingJWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The realm's signing keys (its JWKS) as the token checks read them. They are fetched from Keycloak
 * once, then again in the background shortly before they are due, so that no call waits for
 * Keycloak; a token that names a key not among them (Keycloak rotated its keys) has them fetched at
 * once, at most twice in 30 s (or a quarter of the refresh period, if shorter), so that forged key
 * ids cannot flood Keycloak.
 * While Keycloak cannot be reached, the keys last fetched stay in use for the outage tolerance
 * (Keycloak is asked again as they fall due): a restart of Keycloak does not turn away tokens it
 * signed before.
 */
public final class RealmKeys implements JWKSource<SecurityContext>, AutoCloseable {

    /** How long before they fall due the keys are fetched again, and the rate limit's interval, at most. */
    private static final Duration STEP_AT_MOST = Duration.ofSeconds(30);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    private final JWKSetBasedJWKSource<SecurityContext> keys;

    /** The keys at {@code properties.jwkSetUri()}, kept as {@code properties} say. */
    public RealmKeys(TokenVerifier.TokenProperties properties) {
        int timeout = (int) FETCH_TIMEOUT.toMillis();
        JWKSetSource<SecurityContext> source;
        try {
            source = new URLBasedJWKSetSource<>(properties.jwkSetUri().toURL(),
                    new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES));
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("khmer-ai.security.jwk-set-uri is not a URL: " + properties.jwkSetUri(), e);
        }
        // while Keycloak cannot be reached, the keys last fetched, as if fetched again
        source = new OutageTolerantJWKSetSource<>(source, properties.jwkSetOutageTolerance().toMillis(), null);
        // ahead of time: a quarter of the refresh period, at most 30 s
        long refresh = properties.jwkSetRefresh().toMillis();
        long ahead = Math.min(STEP_AT_MOST.toMillis(), refresh / 4);
        source = new RateLimitedJWKSetSource<>(source, ahead, null);
        // fetched again that long before the period ends, on a virtual thread; a call that needs the
        // keys while a fetch is under way waits as long at most
        source = new RefreshAheadCachingJWKSetSource<>(source, refresh, ahead, ahead, true,
                Executors.newVirtualThreadPerTaskExecutor(), true, null);
        this.keys = new JWKSetBasedJWKSource<>(source);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return keys.get(selector, context);
    }

    /** Stops the background fetches and the thread that schedules them. */
    @Override
    public void close() {
        try {
            keys.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
