package org.khmerai.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** A verified token is checked once while it lasts, and again once it has expired; calls that bring a new one at once share one check. */
class TokenVerifierTest {

    private static final Instant ISSUED = Instant.parse("2026-11-23T08:00:00Z");
    private static final Instant EXPIRES = ISSUED.plusSeconds(300);

    private final AtomicInteger decoded = new AtomicInteger();
    private Instant now = ISSUED.plusSeconds(10);
    private TokenVerifier verifier;

    @Test
    void aTokenThatVerifiedIsNotCheckedAgainUntilItExpires() {
        TokenVerifier verifier = new TokenVerifier(decoder(), clock());

        assertThat(verifier.verify("token-a").tenant()).isEqualTo("education");
        assertThat(verifier.verify("token-a").principal()).isEqualTo("portal");
        assertThat(decoded).hasValue(1);

        now = EXPIRES;
        assertThatThrownBy(() -> verifier.verify("token-a")).as("checked again, and refused, once expired")
                .isInstanceOf(BadJwtException.class);
        assertThat(decoded).hasValue(2);
    }

    @Test
    void aTokenThatFailedIsCheckedAgainEveryTime() {
        TokenVerifier verifier = new TokenVerifier(decoder(), clock());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> verifier.verify("forged")).isInstanceOf(BadJwtException.class);
        }
        assertThat(decoded).hasValue(3);
    }

    @Test
    void theTokensRememberedAreBounded() {
        TokenVerifier verifier = new TokenVerifier(decoder(), clock());

        for (int i = 0; i <= TokenVerifier.REMEMBERED_TOKENS; i++) {
            verifier.verify("token-" + i);
        }
        verifier.verify("token-0");
        assertThat(decoded).as("the first was forgotten to make room").hasValue(TokenVerifier.REMEMBERED_TOKENS + 2);
    }

    @Test
    void aNewTokenBroughtByManyCallsAtOnceIsCheckedOnce() throws Exception {
        List<Future<Caller>> calls = callsAtOnce(20, "token-renewed");

        for (Future<Caller> call : calls) {
            assertThat(call.get().tenant()).isEqualTo("education");
        }
        assertThat(decoded).hasValue(1);
        assertThat(verifier.verify("token-renewed").principal()).as("and remembered").isEqualTo("portal");
        assertThat(decoded).hasValue(1);
    }

    @Test
    void aRefusalIsSharedWithTheCallsWaitingForItButNotRemembered() throws Exception {
        List<Future<Caller>> calls = callsAtOnce(20, "forged");

        for (Future<Caller> call : calls) {
            assertThatThrownBy(call::get).hasCauseInstanceOf(BadJwtException.class);
        }
        assertThat(decoded).hasValue(1);
        assertThatThrownBy(() -> verifier.verify("forged")).isInstanceOf(BadJwtException.class);
        assertThat(decoded).as("checked again").hasValue(2);
    }

    /**
     * {@code count} calls that verify {@code token} at once: the checks are held until every call is
     * waiting, on the check it started or on another's.
     */
    private List<Future<Caller>> callsAtOnce(int count, String token) throws InterruptedException {
        CountDownLatch everyCallWaiting = new CountDownLatch(1);
        JwtDecoder decoder = decoder();
        verifier = new TokenVerifier(held -> {
            await(everyCallWaiting);
            return decoder.decode(held);
        }, clock());
        List<Thread> threads = new ArrayList<>();
        List<Future<Caller>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FutureTask<Caller> call = new FutureTask<>(() -> verifier.verify(token));
            threads.add(Thread.ofPlatform().start(call));
            calls.add(call);
        }
        while (!threads.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING)) {
            Thread.sleep(5);
        }
        everyCallWaiting.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return calls;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A decoder that accepts "token-*" until it expires, as the real one checks signature and expiry. */
    private JwtDecoder decoder() {
        return token -> {
            decoded.incrementAndGet();
            if (!token.startsWith("token-") || !now.isBefore(EXPIRES)) {
                throw new BadJwtException("the token is not valid");
            }
            return new Jwt(token, ISSUED, EXPIRES, Map.of("alg", "RS256"), Map.of("preferred_username", "portal",
                    Caller.TENANT_CLAIM, "education", "azp", "demo-portal", "realm_access", Map.of("roles", List.of("chat-user"))));
        };
    }

    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }
}
