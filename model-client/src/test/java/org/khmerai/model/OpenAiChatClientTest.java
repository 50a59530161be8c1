package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.khmerai.infrastructure.FakeModelServer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

class OpenAiChatClientTest {

    private static final ChatCompletion HELLO = new ChatCompletion(List.of(new ChatCompletion.Message("user", "សួស្តី")),
            Optional.empty(), Optional.empty(), 16, List.of());
    /** The same for a server of the completions API, which reads only the values of its template. */
    private static final ChatCompletion HELLO_TEXT = new ChatCompletion(List.of(), Optional.empty(), Optional.empty(), 16, List.of(),
            Map.of("text", "សួស្តី"));

    /** Protects the throwaway key stores of the TLS test only. */
    private static final String TEST_PASSWORD = "test-only";

    private final OpenAiChatClient client = new OpenAiChatClient();
    private final FakeModelServer server = FakeModelServer.serving("sea-lion-v3");
    private final ModelServer sealion = ModelServer.chat("sealion", "vllm", server.url(), "sea-lion-v3", null, List.of());

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void aFinishedCallLeavesNoTimerBehind() {
        for (int call = 0; call < 3; call++) {
            assertThat(stream()).isInstanceOf(Outcome.Finished.class);
        }

        // each call's first-token timer and ten-minute deadline are gone with it, not queued until due
        assertThat(client.queuedTimers()).isZero();
    }

    @Test
    void finishedCallsShareOneConnection() throws InterruptedException {
        server.bodyEndDelay = Duration.ofMillis(20);

        for (int call = 0; call < 5; call++) {
            assertThat(stream()).isInstanceOf(Outcome.Finished.class);
            Thread.sleep(OpenAiChatClient.BODY_END_WAIT.toMillis() * 3 / 2);
        }

        // the answer is the caller's at [DONE], and its body is read on to its end, which comes a moment
        // later: a connection dropped at [DONE] would cost the next call a new one
        assertThat(server.requests).hasValue(5);
        assertThat(server.connectionsUsed()).isEqualTo(1);
    }

    @Test
    void aConnectionLeftUnusedIsClosedButNotOneWaitingForItsAnswer() throws InterruptedException {
        Duration idleClose = Duration.ofMillis(300);
        try (OpenAiChatClient closingIdle = new OpenAiChatClient(null, idleClose)) {
            server.firstTokenDelay = idleClose.multipliedBy(3);
            assertThat(stream(closingIdle)).isInstanceOf(Outcome.Finished.class);
            server.firstTokenDelay = Duration.ZERO;
            Thread.sleep(OpenAiChatClient.BODY_END_WAIT.toMillis()); // the body's end, which the server writes after [DONE]
            assertThat(stream(closingIdle)).isInstanceOf(Outcome.Finished.class);
            assertThat(server.connectionsUsed()).as("kept while the first answer was awaited, and for the next call").isEqualTo(1);

            Thread.sleep(idleClose.multipliedBy(3));
            assertThat(stream(closingIdle)).isInstanceOf(Outcome.Finished.class);
            assertThat(server.connectionsUsed()).as("closed once left unused").isEqualTo(2);
        }
    }

    @Test
    void callsAtOnceEachHaveAConnectionAndLeaveThemForTheNext() throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 2; round++) {
                List<Future<Outcome>> calls = new ArrayList<>();
                for (int call = 0; call < 20; call++) {
                    calls.add(callers.submit(() -> stream()));
                }
                for (Future<Outcome> call : calls) {
                    assertThat(call.get()).isInstanceOf(Outcome.Finished.class);
                }
                Thread.sleep(OpenAiChatClient.BODY_END_WAIT.toMillis());
            }
        }

        assertThat(server.requests).hasValue(40);
        assertThat(server.connectionsUsed()).isBetween(2, 20);
    }

    @Test
    void aBodyThatDoesNotEndAfterItsLastEventDelaysNoAnswer() {
        server.bodyEndDelay = Duration.ofSeconds(30);

        for (int call = 0; call < 2; call++) {
            long started = System.nanoTime();
            assertThat(stream()).isInstanceOf(Outcome.Finished.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(OpenAiChatClient.BODY_END_WAIT.plusSeconds(2));
        }

        // the connection whose body did not end is dropped, and the next call gets a new one
        assertThat(server.connectionsUsed()).isEqualTo(2);
    }

    @Test
    void aServerOfTheCompletionsApiIsSentItsTemplateFilledAndReadAsAChatServerIs() {
        ModelServer madlad = new ModelServer("madlad", "madlad-1", server.url(), "madlad400", null, List.of(),
                ModelServer.Api.COMPLETIONS, "<2{target}> {text}");
        ChatCompletion translate = new ChatCompletion(List.of(new ChatCompletion.Message("user", "ignored by this server")),
                Optional.of(0f), Optional.empty(), 64, List.of(), Map.of("source", "km", "target", "en", "text", "សួស្តី"));
        server.tokens = List.of("Hello", ".");
        StringBuilder answer = new StringBuilder();

        Outcome outcome = client.exchange().stream(madlad, translate, Instant.now().plusSeconds(30), Instant.now().plusSeconds(60),
                answer::append);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Finished.class, finished -> {
            assertThat(finished.finishReason()).isEqualTo("stop");
            assertThat(finished.usage().completionTokens()).isEqualTo(2);
        });
        assertThat(answer).hasToString("Hello.");
        assertThat(server.received()).singleElement().satisfies(body -> {
            assertThat(body).contains("\"prompt\":\"<2en> សួស្តី\"").contains("\"stream\":true").contains("\"include_usage\":true");
            assertThat(body).doesNotContain("messages").doesNotContain("ignored by this server");
        });
    }

    @Test
    void aCompletionsStreamCutBeforeItsFinalEventIsIncomplete() {
        ModelServer madlad = new ModelServer("madlad", "madlad-1", server.url(), "madlad400", null, List.of(),
                ModelServer.Api.COMPLETIONS, "{text}");
        server.behaviour = FakeModelServer.Behaviour.CUT_BEFORE_FINAL;

        assertThat(client.exchange().stream(madlad, HELLO_TEXT, Instant.now().plusSeconds(30), Instant.now().plusSeconds(60), delta -> { }))
                .isInstanceOf(Outcome.Incomplete.class);
    }

    private Outcome stream() {
        return stream(client);
    }

    private Outcome stream(OpenAiChatClient client) {
        return client.exchange().stream(sealion, HELLO, Instant.now().plusSeconds(30), Instant.now().plusSeconds(600), delta -> { });
    }

    @Test
    void anHttpsServerIsTalkedToOnlyWhenItsCertificateIsTrustedAndNamesIt(@TempDir Path directory) throws Exception {
        KeyStore local = selfSigned(directory.resolve("local.p12"), "ip:127.0.0.1");
        KeyStore elsewhere = selfSigned(directory.resolve("elsewhere.p12"), "dns:model-server.example");
        try (FakeModelServer tls = new FakeModelServer("sea-lion-v3", serverTls(local));
             FakeModelServer misnamed = new FakeModelServer("sea-lion-v3", serverTls(elsewhere));
             OpenAiChatClient trusting = new OpenAiChatClient(trusting(local, elsewhere), Duration.ofSeconds(30))) {
            ModelServer secure = ModelServer.chat("sealion", "vllm-tls", tls.url(), "sea-lion-v3", null, List.of());
            StringBuilder answer = new StringBuilder();

            assertThat(trusting.exchange().stream(secure, HELLO, Instant.now().plusSeconds(30), Instant.now().plusSeconds(60), answer::append))
                    .isInstanceOf(Outcome.Finished.class);
            assertThat(answer).hasToString(String.join("", tls.tokens));
            assertThat(trusting.models(secure, Duration.ofSeconds(5))).containsExactly("sea-lion-v3");

            // a certificate the client does not trust, or one issued for another name, ends the call before its request is sent
            ModelServer wrongName = ModelServer.chat("sealion", "vllm-misnamed", misnamed.url(), "sea-lion-v3", null, List.of());
            assertThat(trusting.exchange().stream(wrongName, HELLO, Instant.now().plusSeconds(30), Instant.now().plusSeconds(60), delta -> { }))
                    .isInstanceOfSatisfying(Outcome.FailedBeforeAnswer.class, failed -> assertThat(failed.why()).contains("No subject alternative names matching IP address 127.0.0.1"));
            assertThat(client.exchange().stream(secure, HELLO, Instant.now().plusSeconds(30), Instant.now().plusSeconds(60), delta -> { }))
                    .isInstanceOfSatisfying(Outcome.FailedBeforeAnswer.class, failed -> assertThat(failed.why()).contains("certification path"));
            assertThat(tls.requests).hasValue(1);
            assertThat(misnamed.requests).hasValue(0);
        }
    }

    /** A key and a certificate for {@code subjectAlternativeName} that signs itself, made by the JDK's keytool. */
    private static KeyStore selfSigned(Path file, String subjectAlternativeName) throws Exception {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "model-server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=model-server",
                "-ext", "SAN=" + subjectAlternativeName, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", TEST_PASSWORD, "-keypass", TEST_PASSWORD).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, TEST_PASSWORD.toCharArray());
        }
        return keys;
    }

    private static SSLContext serverTls(KeyStore keys) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, TEST_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        return tls;
    }

    private static TrustManagerFactory trusting(KeyStore... certificatesOf) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < certificatesOf.length; i++) {
            trusted.setCertificateEntry("server-" + i, certificatesOf[i].getCertificate("model-server"));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        return trust;
    }
}
