package org.khmerai.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Empty;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Edge;
import org.khmerai.infrastructure.FakeModelServer;
import org.khmerai.infrastructure.Tokens;
import org.khmerai.llm.v1.ChatChunk;
import org.khmerai.llm.v1.ChatMessage;
import org.khmerai.llm.v1.ChatRequest;
import org.khmerai.llm.v1.ChatServiceGrpc;
import org.khmerai.llm.v1.Role;
import org.khmerai.segmentation.v1.SegmentRequest;
import org.khmerai.segmentation.v1.SegmentResponse;
import org.khmerai.segmentation.v1.SegmentationServiceGrpc;
import org.khmerai.segmentation.v1.Word;

/**
 * The platform end to end, as a ministry's portal, an internal application and a reviewer meet it:
 * real Keycloak, Kafka and PostgreSQL, and the services started from their jars on free ports.
 */
class PlatformIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    // "Cambodia is a country", written without spaces as Khmer is
    private static final String KHMER = "កម្ពុជាជាប្រទេសមួយ";
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(30);
    private static final MethodDescriptor.Marshaller<Empty> EMPTY = ProtoUtils.marshaller(Empty.getDefaultInstance());

    private static LocalStack stack;
    private static Tokens tokens;
    private static HttpClient http;
    private static ManagedChannel grpcEdge;
    private static FakeModelServer modelServer;

    /** Each run starts with no data, as on a fresh checkout: nothing an earlier run stored decides this one. */
    private static Path emptied(Path home) throws IOException {
        if (Files.exists(home)) {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        return home;
    }

    @BeforeAll
    static void startPlatform() throws Exception {
        modelServer = new FakeModelServer("sea-lion-v3");
        // one model alias, "sealion", and no default model: a call that names none shows the 503 of an unconfigured service
        stack = LocalStack.start(emptied(Path.of("target", "it-stack")), StackPorts.free(), Map.of(
                        "KHMER_AI_SECURITY_CLOCK_SKEW", "0s",
                        "KHMER_AI_LLM_SERVERS_0_ALIAS", "sealion",
                        "KHMER_AI_LLM_SERVERS_0_NAME", "fake-vllm",
                        "KHMER_AI_LLM_SERVERS_0_URL", modelServer.url().toString(),
                        "KHMER_AI_LLM_SERVERS_0_MODEL", "sea-lion-v3",
                        "KHMER_AI_TRANSLATION_SERVERS_0_ALIAS", "translate",
                        "KHMER_AI_TRANSLATION_SERVERS_0_NAME", "fake-vllm",
                        "KHMER_AI_TRANSLATION_SERVERS_0_URL", modelServer.url().toString(),
                        "KHMER_AI_TRANSLATION_SERVERS_0_MODEL", "sea-lion-v3",
                        "KHMER_AI_TRANSLATION_DEFAULT_MODEL", "translate"),
                line -> System.out.println("[stack] " + line));
        tokens = new Tokens(stack.keycloak().tokenEndpoint());
        http = HttpClient.newHttpClient();
        grpcEdge = NettyChannelBuilder.forAddress("127.0.0.1", stack.ports().gatewayGrpc()).usePlaintext().build();
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (grpcEdge != null) {
            grpcEdge.shutdownNow();
        }
        if (stack != null) {
            stack.close();
        }
        if (modelServer != null) {
            modelServer.close();
        }
    }

    // --- the happy paths ---

    @Test
    void portalSegmentsKhmerOverRestAndTheCallIsAuditedForItsMinistry() throws Exception {
        HttpResponse<String> response = post("/api/v1/segment", portalToken(), "{\"text\":\"" + KHMER + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode words = JSON.readTree(response.body()).path("words");
        List<String> texts = new ArrayList<>();
        words.forEach(word -> {
            texts.add(word.path("text").asText());
            assertThat(KHMER.substring(word.path("start").asInt(), word.path("end").asInt())).isEqualTo(word.path("text").asText());
        });
        assertThat(texts).containsExactly("កម្ពុជា", "ជា", "ប្រទេស", "មួយ");
        assertThat(words.get(0).path("start").asInt()).isZero();

        List<AuditEvent> events = awaitAudit(requestId(response), found -> found.size() >= 2);
        assertThat(events).extracting(AuditEvent::getService).contains("gateway", "segmentation");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getTenant()).isEqualTo("demo-ministry");
            assertThat(event.getPrincipal()).isEqualTo("service-account-demo-portal");
            assertThat(event.getStatus()).isEqualTo("OK");
            assertThat(event.getMethod()).isEqualTo("khmer.segmentation.v1.SegmentationService/Segment");
        });
        AuditEvent atGateway = events.stream().filter(e -> e.getEdge() == Edge.EDGE_REST).findFirst().orElseThrow();
        assertThat(atGateway.getHttpStatus()).isEqualTo(200);
        assertThat(atGateway.getClientId()).isEqualTo("demo-portal");
        assertThat(atGateway.getInput().getSha256()).hasSize(64);
    }

    @Test
    void internalApplicationSegmentsOverTheGrpcEdgeAndTheCallIsAudited() throws Exception {
        String requestId = UUID.randomUUID().toString();
        SegmentResponse response = segmentation(portalToken(), requestId)
                .segment(SegmentRequest.newBuilder().setText(KHMER).build());

        assertThat(response.getWordsList()).extracting(Word::getText).containsExactly("កម្ពុជា", "ជា", "ប្រទេស", "មួយ");
        List<AuditEvent> events = awaitAudit(requestId, found -> found.size() >= 2);
        assertThat(events).extracting(AuditEvent::getEdge).contains(Edge.EDGE_GRPC, Edge.EDGE_SERVICE);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getTenant()).isEqualTo("demo-ministry");
            assertThat(event.getPrincipal()).isEqualTo("service-account-demo-portal");
        });
    }

    // --- who may call ---

    @Test
    void callsWithoutAValidTokenAre401AndStillAudited() throws Exception {
        String genuine = portalToken();
        HttpResponse<String> none = post("/api/v1/segment", null, "{\"text\":\"" + KHMER + "\"}");
        assertProblem(none, 401, "missing-token");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

        Map<String, String> refused = Map.of(
                "signed by another key", signedByAnotherKey(genuine),
                "alg none", unsigned(genuine),
                "another issuer", tokensOfRealm("master").password("admin-cli", "admin", "admin"),
                "not a JWT", "not-a-jwt");
        for (Map.Entry<String, String> token : refused.entrySet()) {
            HttpResponse<String> response = post("/api/v1/segment", token.getValue(), "{\"text\":\"" + KHMER + "\"}");
            assertThat(response.statusCode()).as(token.getKey()).isEqualTo(401);
            assertProblem(response, 401, "invalid-token");
        }

        AuditEvent rejected = awaitAudit(requestId(none), found -> !found.isEmpty()).getFirst();
        assertThat(rejected.getStatus()).isEqualTo("UNAUTHENTICATED");
        assertThat(rejected.getHttpStatus()).isEqualTo(401);
        assertThat(rejected.getPrincipal()).isEqualTo("anonymous");

        String grpcRequestId = UUID.randomUUID().toString();
        assertThatThrownBy(() -> segmentationWithoutToken(grpcRequestId)
                .segment(SegmentRequest.newBuilder().setText(KHMER).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        AuditEvent rejectedOverGrpc = awaitAudit(grpcRequestId, found -> !found.isEmpty()).getFirst();
        assertThat(rejectedOverGrpc.getEdge()).isEqualTo(Edge.EDGE_GRPC);
        assertThat(rejectedOverGrpc.getStatus()).isEqualTo("UNAUTHENTICATED");
        assertThat(rejectedOverGrpc.getErrorCode()).isEqualTo("missing-token");
        assertThatThrownBy(() -> segmentation(signedByAnotherKey(genuine), UUID.randomUUID().toString())
                .segment(SegmentRequest.newBuilder().setText(KHMER).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        JsonNode client = keycloakClient("demo-portal");
        try {
            updateTokenLifespan(client, "3");
            String token = portalToken();
            assertThat(post("/api/v1/segment", token, "{\"text\":\"" + KHMER + "\"}").statusCode())
                    .as("the short-lived token works while it lives").isEqualTo(200);
            Instant expiry = Instant.ofEpochSecond(claims(token).path("exp").asLong());
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 1_500);
            assertProblem(post("/api/v1/segment", token, "{\"text\":\"" + KHMER + "\"}"), 401, "invalid-token");
        } finally {
            updateTokenLifespan(client, "300");
        }
    }

    @Test
    void theGrpcEdgeAnswersUnknownMethodsAndServicesWithUnimplemented() throws Exception {
        Channel authenticated = segmentation(portalToken(), UUID.randomUUID().toString()).getChannel();
        for (String method : List.of("khmer.segmentation.v1.SegmentationService/Translate", "khmer.nothing.v1.Nothing/Call")) {
            MethodDescriptor<Empty, Empty> unknown = MethodDescriptor.newBuilder(EMPTY, EMPTY)
                    .setFullMethodName(method).setType(MethodDescriptor.MethodType.UNARY).build();
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(authenticated, unknown,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), Empty.getDefaultInstance()))
                    .as(method)
                    .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        }
    }

    @Test
    void aMinistryAdministratorKeepsItsTermsWholeInItsOwnPortalsCallsOnly() throws Exception {
        // "the Ministry of Education, Youth and Sport announced"
        String term = "ក្រសួងអប់រំយុវជននិងកីឡា";
        String text = "{\"text\":\"" + term + "បានប្រកាស\"}";
        String admin = tokens.password("demo-cli", "demo-admin", "demo-admin");
        String otherPortal = tokens.clientCredentials("other-portal", "other-portal-secret");
        assertThat(words(post("/api/v1/segment", portalToken(), text))).as("the model alone").doesNotContain(term);

        HttpResponse<String> added = post("/api/v1/dictionary/terms:batchAdd", admin, "{\"terms\":[\"" + term + "\"]}");
        try {
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            assertThat(JSON.readTree(added.body()).path("changed").asInt()).isEqualTo(1);
            HttpResponse<String> segmented = post("/api/v1/segment", portalToken(), text);
            assertThat(words(segmented)).startsWith(term);
            assertThat(JSON.readTree(segmented.body()).path("userDictionaryRevision").asLong()).isPositive();
            assertThat(words(post("/api/v1/segment", otherPortal, text))).as("another ministry").doesNotContain(term);

            JsonNode listed = JSON.readTree(get("/api/v1/dictionary/terms?page_size=10", admin).body());
            assertThat(listed.path("terms").get(0).path("term").asText()).isEqualTo(term);
            assertThat(listed.path("terms").get(0).path("addedBy").asText()).isEqualTo("demo-admin");
            assertProblem(get("/api/v1/dictionary/terms", otherPortal), 403, "forbidden");
            assertProblem(post("/api/v1/dictionary/terms:batchAdd", portalToken(), "{\"terms\":[\"ទឹក\"]}"), 403, "forbidden");
            HttpResponse<String> invalid = post("/api/v1/dictionary/terms:batchAdd", admin, "{\"terms\":[\"ទឹក\",\"Angkor Wat\"]}");
            assertProblem(invalid, 400, "invalid-argument");
            assertThat(JSON.readTree(invalid.body()).path("detail").asText()).contains("\"Angkor Wat\"");
            assertProblem(post("/api/v1/dictionary/terms:batchAdd", admin, "{}"), 400, "missing-field");
        } finally {
            HttpResponse<String> removed = post("/api/v1/dictionary/terms:batchRemove", admin, "{\"terms\":[\"" + term + "\"]}");
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        }
        assertThat(words(post("/api/v1/segment", portalToken(), text))).as("after removal").doesNotContain(term);
    }

    @Test
    void anAuditorVerifiesHerMinistrysAuditChainOverRest() throws Exception {
        HttpResponse<String> call = post("/api/v1/segment", portalToken(), "{\"text\":\"" + KHMER + "\"}");
        awaitAudit(requestId(call), found -> found.size() >= 2);
        String auditor = tokens.password("demo-cli", "demo-admin", "demo-admin");

        HttpResponse<String> verified = get("/api/v1/audit/chain:verify", auditor);
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        JsonNode verification = JSON.readTree(verified.body());
        assertThat(verification.path("valid").asBoolean()).as(verified.body()).isTrue();
        assertThat(verification.path("recordsChecked").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(verification.path("headHash").asText()).hasSize(64);
        assertProblem(get("/api/v1/audit/chain:verify", reviewerToken()), 403, "forbidden");
    }

    @Test
    void callersWithoutTheRoleAre403OnBothEdges() throws Exception {
        String reviewer = reviewerToken();
        assertProblem(post("/api/v1/segment", reviewer, "{\"text\":\"" + KHMER + "\"}"), 403, "forbidden");
        assertThatThrownBy(() -> segmentation(reviewer, UUID.randomUUID().toString())
                .segment(SegmentRequest.newBuilder().setText(KHMER).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertProblem(get("/api/v1/audit/events", portalToken()), 403, "forbidden");
    }

    @Test
    void aReviewerReadsHerOwnMinistrysEventsAndNeverAnothers() throws Exception {
        HttpResponse<String> ours = post("/api/v1/segment", portalToken(), "{\"text\":\"" + KHMER + "\"}");
        HttpResponse<String> theirs = post("/api/v1/segment",
                tokens.clientCredentials("other-portal", "other-portal-secret"), "{\"text\":\"" + KHMER + "\"}");
        assertThat(List.of(ours.statusCode(), theirs.statusCode())).containsOnly(200);
        AuditEvent otherMinistrys = awaitAudit(requestId(theirs), found -> !found.isEmpty()).getFirst();
        assertThat(otherMinistrys.getTenant()).isEqualTo("other-ministry");
        awaitAudit(requestId(ours), found -> !found.isEmpty());

        String reviewer = reviewerToken();
        List<JsonNode> seen = new ArrayList<>();
        String pageToken = "";
        do {
            HttpResponse<String> page = get("/api/v1/audit/events?pageSize=100&service=gateway"
                    + (pageToken.isEmpty() ? "" : "&pageToken=" + pageToken), reviewer);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            body.path("events").forEach(seen::add);
            pageToken = body.path("nextPageToken").asText();
        } while (!pageToken.isEmpty());

        assertThat(seen).isNotEmpty();
        assertThat(seen).allSatisfy(event -> {
            assertThat(event.path("tenant").asText()).isEqualTo("demo-ministry");
            assertThat(event.path("service").asText()).isEqualTo("gateway");
        });
        assertThat(seen).extracting(event -> event.path("requestId").asText())
                .contains(requestId(ours)).doesNotContain(requestId(theirs));

        assertProblem(get("/api/v1/audit/events?pageSize=9999", reviewer), 400, "invalid-argument");
        assertProblem(get("/api/v1/audit/events?colour=red", reviewer), 400, "invalid-argument");
    }

    @Test
    void aMinistrysRuleFlagsACallAndItsReviewerDecidesItOverRest() throws Exception {
        String admin = tokens.password("demo-cli", "demo-admin", "demo-admin");
        String reviewer = reviewerToken();
        String rule = "/api/v1/audit/rules/corruption-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> saved = put(rule, admin,
                "{\"severity\":\"SEVERITY_HIGH\",\"action\":\"RULE_ACTION_FLAG\",\"terms\":{\"terms\":[\"ពុករលួយ\"]}}");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(JSON.readTree(saved.body()).path("updatedBy").asText()).isNotBlank();
        try {
            assertProblem(put("/api/v1/audit/rules/broken", admin,
                    "{\"severity\":\"SEVERITY_LOW\",\"action\":\"RULE_ACTION_FLAG\",\"pattern\":\"([unclosed\"}"), 400, "invalid-argument");
            assertProblem(put("/api/v1/audit/rules/empty", admin,
                    "{\"severity\":\"SEVERITY_LOW\",\"action\":\"RULE_ACTION_FLAG\",\"terms\":{\"terms\":[]}}"), 400, "invalid-argument");
            assertProblem(put(rule, reviewer, "{}"), 403, "forbidden");

            // "acts of corruption in the ministry": the term is a word of a compound, so the call is flagged
            HttpResponse<String> call = post("/api/v1/segment", portalToken(), "{\"text\":\"អំពើពុករលួយនៅក្នុងក្រសួង\"}");
            assertThat(call.statusCode()).isEqualTo(200);
            String eventId = awaitAudit(requestId(call), found -> found.size() >= 2).stream()
                    .filter(event -> event.getService().equals("segmentation")).findFirst().orElseThrow().getId();

            JsonNode queue = JSON.readTree(get("/api/v1/audit/reviews?ruleId=" + rule.substring(rule.lastIndexOf('/') + 1)
                    + "&state=REVIEW_STATE_OPEN", reviewer).body());
            assertThat(queue.path("items")).extracting(item -> item.path("eventId").asText()).contains(eventId);
            assertProblem(get("/api/v1/audit/reviews", portalToken()), 403, "forbidden");

            HttpResponse<String> read = get("/api/v1/audit/reviews/" + eventId, reviewer);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).path("severity").asText()).isEqualTo("SEVERITY_HIGH");
            HttpResponse<String> claimed = post("/api/v1/audit/reviews/" + eventId + ":claim", reviewer, "{}");
            assertThat(JSON.readTree(claimed.body()).path("state").asText()).as(claimed.body()).isEqualTo("REVIEW_STATE_CLAIMED");
            assertProblem(post("/api/v1/audit/reviews/" + eventId + ":claim", admin, "{}"), 403, "forbidden");
            assertProblem(post("/api/v1/audit/reviews/" + eventId + ":decide", reviewer, "{\"decision\":\"REVIEW_DECISION_DISMISS\"}"),
                    400, "missing-field");
            HttpResponse<String> decided = post("/api/v1/audit/reviews/" + eventId + ":decide", reviewer,
                    "{\"decision\":\"REVIEW_DECISION_DISMISS\",\"note\":\"a news report about corruption, not a breach\"}");
            assertThat(JSON.readTree(decided.body()).path("state").asText()).as(decided.body()).isEqualTo("REVIEW_STATE_DISMISSED");
            assertProblem(post("/api/v1/audit/reviews/" + eventId + ":claim", reviewer, "{}"), 409, "conflict");
            assertProblem(get("/api/v1/audit/reviews/not-an-id", reviewer), 400, "invalid-argument");

            List<AuditEvent> reading = awaitAudit(requestId(read), found -> found.stream().anyMatch(e -> e.getService().equals("audit")));
            assertThat(reading).as("reading a call's content is itself audited, naming the call").anySatisfy(event -> {
                assertThat(event.getMethod()).isEqualTo("khmer.audit.v1.AuditReviewService/GetReviewItem");
                assertThat(event.getResource()).isEqualTo(eventId);
            });
        } finally {
            assertThat(delete(rule, admin).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPortalChatsOverRestAnInternalAppStreamsOverGrpcAndEachCallIsAuditedWithItsModel() throws Exception {
        String question = "{\"model\":\"sealion\",\"messages\":[{\"role\":\"ROLE_USER\",\"content\":\"សួស្តី\"}]}";
        HttpResponse<String> answered = post("/api/v1/chat", portalToken(), question);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(answered.body());
        assertThat(answer.path("content").asText()).isEqualTo(String.join("", modelServer.tokens));
        assertThat(answer.path("finishReason").asText()).isEqualTo("FINISH_REASON_STOP");
        assertThat(answer.path("usage").path("completionTokens").asInt()).isEqualTo(modelServer.tokens.size());
        assertThat(answer.path("backend").asText()).isEqualTo("fake-vllm");
        AuditEvent served = awaitAudit(requestId(answered), found -> found.stream().anyMatch(e -> e.getService().equals("llm")))
                .stream().filter(e -> e.getService().equals("llm")).findFirst().orElseThrow();
        assertThat(served.getModel()).isEqualTo("sealion");
        assertThat(served.getBackend()).isEqualTo("fake-vllm");
        assertThat(served.getModelUsage().getCompletionTokens()).isEqualTo(modelServer.tokens.size());
        assertThat(served.getModelUsage().getFinishReason()).isEqualTo("stop");

        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + portalToken());
        List<ChatChunk> chunks = new ArrayList<>();
        ChatServiceGrpc.newBlockingStub(grpcEdge).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(Duration.ofSeconds(30))
                .streamChat(ChatRequest.newBuilder().setModel("sealion").addMessages(ChatMessage.newBuilder()
                        .setRole(Role.ROLE_USER).setContent("សួស្តី")).build())
                .forEachRemaining(chunks::add);
        assertThat(chunks.getLast().getEnd().getUsage().getCompletionTokens()).isEqualTo(modelServer.tokens.size());
        assertThat(chunks).filteredOn(ChatChunk::hasEnd).hasSize(1);

        HttpResponse<String> unconfigured = post("/api/v1/chat", portalToken(),
                "{\"messages\":[{\"role\":\"ROLE_USER\",\"content\":\"សួស្តី\"}]}");
        assertProblem(unconfigured, 503, "not-configured");
        assertThat(JSON.readTree(unconfigured.body()).path("detail").asText()).contains("khmer-ai.llm.default-model");
        assertProblem(post("/api/v1/chat", portalToken(), "{\"model\":\"sealion\",\"messages\":[]}"), 400, "invalid-argument");
        assertProblem(post("/api/v1/chat", portalToken(), "{\"model\":\"sealion\"}"), 400, "missing-field");
        assertProblem(post("/api/v1/chat", reviewerToken(), question), 403, "forbidden");
    }

    @Test
    void aMinistrysBlockingAndMaskingRulesActOnItsChatsWithinSecondsOfBeingSaved() throws Exception {
        String admin = tokens.password("demo-cli", "demo-admin", "demo-admin");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String block = "/api/v1/audit/rules/no-bribes-" + suffix;
        String mask = "/api/v1/audit/rules/phones-" + suffix;
        // the masking rule first: once the blocking rule is enforced, so is everything saved before it
        assertThat(put(mask, admin, "{\"severity\":\"SEVERITY_LOW\",\"action\":\"RULE_ACTION_MASK\","
                + "\"personalData\":\"PERSONAL_DATA_PHONE_NUMBER\"}").statusCode()).isEqualTo(200);
        assertThat(put(block, admin, "{\"severity\":\"SEVERITY_HIGH\",\"action\":\"RULE_ACTION_BLOCK\",\"terms\":{\"terms\":[\"សំណូក\"]}}")
                .statusCode()).isEqualTo(200);
        List<String> answer = modelServer.tokens;
        try {
            String bribe = "{\"model\":\"sealion\",\"messages\":[{\"role\":\"ROLE_USER\",\"content\":\"តើសំណូកប៉ុន្មាន?\"}]}";
            Instant until = Instant.now().plus(Duration.ofSeconds(15)); // the rule travels to the llm service over Kafka
            HttpResponse<String> refused = post("/api/v1/chat", portalToken(), bribe);
            while (refused.statusCode() == 200 && Instant.now().isBefore(until)) {
                Thread.sleep(200);
                refused = post("/api/v1/chat", portalToken(), bribe);
            }
            assertProblem(refused, 422, "blocked-by-policy");
            assertThat(JSON.readTree(refused.body()).path("detail").asText()).contains("no-bribes-" + suffix, "no model has read it");
            int asked = modelServer.requests.get();
            assertProblem(post("/api/v1/chat", portalToken(), bribe), 422, "blocked-by-policy");
            assertThat(modelServer.requests.get()).as("a blocked question reaches no model").isEqualTo(asked);
            String refusedId = awaitAudit(requestId(refused), found -> found.stream().anyMatch(e -> e.getService().equals("llm")))
                    .stream().filter(e -> e.getService().equals("llm")).findFirst().orElseThrow().getId();
            Instant queued = Instant.now().plus(AUDIT_WAIT);
            JsonNode queue;
            while ((queue = JSON.readTree(get("/api/v1/audit/reviews?ruleId=no-bribes-" + suffix, reviewerToken()).body()))
                    .path("items").isEmpty() && Instant.now().isBefore(queued)) {
                Thread.sleep(200);
            }
            assertThat(queue.path("items")).as("the refused attempt is for a reviewer to see")
                    .extracting(item -> item.path("eventId").asText()).contains(refusedId);

            modelServer.tokens = List.of("ហៅ", " 012", " 345", " 678", "។", " ការ", "សំណូក", "ខុស", "។");
            HttpResponse<String> answered = post("/api/v1/chat", portalToken(),
                    "{\"model\":\"sealion\",\"messages\":[{\"role\":\"ROLE_USER\",\"content\":\"លេខខ្ញុំ ០១២ ៣៤៥ ៦៧៨\"}]}");
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(modelServer.received().getLast()).as("what the model read")
                    .contains("លេខខ្ញុំ [redacted:phones-" + suffix + "]").doesNotContain("៣៤៥");
            JsonNode withheld = JSON.readTree(answered.body());
            assertThat(withheld.path("content").asText()).isEqualTo("ហៅ [redacted:phones-" + suffix + "]។ ");
            assertThat(withheld.path("finishReason").asText()).isEqualTo("FINISH_REASON_CONTENT_FILTER");
            assertThat(withheld.path("withheldBy").asText()).isEqualTo("no-bribes-" + suffix);
        } finally {
            modelServer.tokens = answer;
            delete(block, admin);
            delete(mask, admin);
        }
    }

    @Test
    void aPortalThatAsksForAnEventStreamReadsTheAnswerAsItComesAndABrokenStreamEndsWithAnErrorEvent() throws Exception {
        String question = "{\"model\":\"sealion\",\"messages\":[{\"role\":\"ROLE_USER\",\"content\":\"សួស្តី\"}]}";
        HttpResponse<String> streamed = send(eventStreamRequest(question));
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<SseEvent> events = SseEvent.parse(streamed.body());
        assertThat(events).allMatch(event -> event.name().equals("message"));
        List<JsonNode> chunks = new ArrayList<>();
        for (SseEvent event : events) {
            chunks.add(JSON.readTree(event.data()));
        }
        assertThat(chunks.subList(0, chunks.size() - 1)).extracting(chunk -> chunk.path("delta").asText())
                .containsExactlyElementsOf(modelServer.tokens);
        JsonNode end = chunks.getLast().path("end");
        assertThat(end.path("finishReason").asText()).isEqualTo("FINISH_REASON_STOP");
        assertThat(end.path("usage").path("completionTokens").asInt()).isEqualTo(modelServer.tokens.size());
        AuditEvent atGateway = awaitAudit(requestId(streamed), found -> found.stream().anyMatch(e -> e.getEdge() == Edge.EDGE_REST))
                .stream().filter(e -> e.getEdge() == Edge.EDGE_REST).findFirst().orElseThrow();
        assertThat(atGateway.getMethod()).isEqualTo("khmer.llm.v1.ChatService/StreamChat");
        assertThat(atGateway.getStatus()).isEqualTo("OK");
        assertThat(atGateway.getResponseBytes()).isEqualTo(streamed.body().getBytes(StandardCharsets.UTF_8).length);

        // a call refused before its first chunk is an ordinary problem, not a stream
        assertProblem(send(eventStreamRequest("{\"model\":\"sealion\",\"messages\":[]}")), 400, "invalid-argument");
        assertProblem(send(eventStreamRequest("{\"messages\":[{\"role\":\"ROLE_USER\",\"content\":\"x\"}]}")),
                503, "not-configured");

        modelServer.behaviour = FakeModelServer.Behaviour.CUT_BEFORE_FINAL;
        try {
            HttpResponse<String> broken = send(eventStreamRequest(question));
            assertThat(broken.statusCode()).isEqualTo(200);
            List<SseEvent> brokenEvents = SseEvent.parse(broken.body());
            SseEvent error = brokenEvents.getLast();
            assertThat(error.name()).isEqualTo("error");
            assertThat(JSON.readTree(error.data()).path("code").asText()).isEqualTo("incomplete-answer");
            assertThat(JSON.readTree(brokenEvents.get(brokenEvents.size() - 2).data()).path("end").path("finishReason").asText())
                    .isEqualTo("FINISH_REASON_INCOMPLETE");
            AuditEvent brokenAtGateway = awaitAudit(requestId(broken), found -> found.stream().anyMatch(e -> e.getEdge() == Edge.EDGE_REST))
                    .stream().filter(e -> e.getEdge() == Edge.EDGE_REST).findFirst().orElseThrow();
            assertThat(brokenAtGateway.getStatus()).isEqualTo("UNAVAILABLE");
            assertThat(brokenAtGateway.getErrorCode()).isEqualTo("incomplete-answer");
        } finally {
            modelServer.behaviour = FakeModelServer.Behaviour.ANSWER;
        }
    }

    @Test
    void aPortalThatHangsUpInTheMiddleOfAnAnswerStopsTheModelServersStream() throws Exception {
        List<String> tokens = modelServer.tokens;
        modelServer.tokens = Collections.nCopies(600, "ក");
        modelServer.perToken = Duration.ofMillis(50);
        try {
            String question = "{\"model\":\"sealion\",\"messages\":[{\"role\":\"ROLE_USER\",\"content\":\"សួស្តី\"}]}";
            HttpResponse<InputStream> streaming = http.send(eventStreamRequest(question).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(streaming.statusCode()).isEqualTo(200);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(streaming.body(), StandardCharsets.UTF_8))) {
                assertThat(reader.readLine()).startsWith("data:");
            } // hanging up halfway through a 30-second answer
            assertThat(modelServer.clientGone.await(10, TimeUnit.SECONDS))
                    .as("the model server sees its client go within seconds of the portal hanging up").isTrue();
        } finally {
            modelServer.tokens = tokens;
            modelServer.perToken = Duration.ZERO;
        }
    }

    private static HttpRequest.Builder eventStreamRequest(String json) throws Exception {
        return HttpRequest.newBuilder(api("/api/v1/chat")).header("Authorization", "Bearer " + portalToken())
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /** One server-sent event: its name ("message" when it has none) and its data. */
    private record SseEvent(String name, String data) {

        static List<SseEvent> parse(String stream) {
            List<SseEvent> events = new ArrayList<>();
            for (String block : stream.split("\n\n")) {
                String name = "message";
                StringBuilder data = new StringBuilder();
                for (String line : block.split("\n")) {
                    if (line.startsWith("event:")) {
                        name = line.substring("event:".length()).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring("data:".length()).strip());
                    }
                }
                if (!data.isEmpty()) {
                    events.add(new SseEvent(name, data.toString()));
                }
            }
            return events;
        }
    }

    @Test
    void aPortalTranslatesOverRestWithItsMinistrysMemoryAndGlossaryAndTheCallIsAudited() throws Exception {
        String admin = tokens.password("demo-cli", "demo-admin", "demo-admin");
        HttpResponse<String> approved = post("/api/v1/translation/memory:batchPut", admin, "{\"sourceLanguage\":\"km\","
                + "\"targetLanguage\":\"en\",\"entries\":[{\"source\":\"ខ្ញុំទៅសាលា។\",\"target\":\"I go to school.\"}]}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        HttpResponse<String> glossary = post("/api/v1/translation/glossary:batchPut", admin, "{\"sourceLanguage\":\"km\","
                + "\"targetLanguage\":\"en\",\"terms\":[{\"source\":\"ក្រសួងសុខាភិបាល\",\"target\":\"Ministry of Health\"}]}");
        assertThat(glossary.statusCode()).as(glossary.body()).isEqualTo(200);
        String text = "{\"text\":\"ខ្ញុំទៅសាលា។ ក្រសួងសុខាភិបាលប្រកាស។\",\"targetLanguage\":\"en\"}";

        HttpResponse<String> translated = post("/api/v1/translate", portalToken(), text);
        assertThat(translated.statusCode()).as(translated.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(translated.body());
        // the fake model answers every question with its greeting, which holds no "Ministry of Health"
        assertThat(answer.path("translation").asText()).isEqualTo("I go to school. " + String.join("", modelServer.tokens));
        assertThat(answer.path("sourceLanguage").asText()).isEqualTo("km");
        assertThat(answer.path("sentences").get(0).path("origin").asText()).isEqualTo("SENTENCE_ORIGIN_MEMORY");
        assertThat(answer.path("sentences").get(1).path("origin").asText()).isEqualTo("SENTENCE_ORIGIN_MODEL");
        assertThat(answer.path("glossaryViolations").get(0).path("requiredTranslation").asText()).isEqualTo("Ministry of Health");
        assertThat(modelServer.received().getLast()).contains("ក្រសួងសុខាភិបាល => Ministry of Health");
        AuditEvent served = awaitAudit(requestId(translated), found -> found.stream().anyMatch(e -> e.getService().equals("translation")))
                .stream().filter(e -> e.getService().equals("translation")).findFirst().orElseThrow();
        assertThat(served.getModel()).isEqualTo("translate");
        assertThat(served.getBackend()).isEqualTo("fake-vllm");
        assertThat(served.getMethod()).isEqualTo("khmer.translation.v1.TranslationService/Translate");

        // another ministry has neither this memory nor this glossary
        JsonNode elsewhere = JSON.readTree(post("/api/v1/translate", tokens.clientCredentials("other-portal", "other-portal-secret"), text).body());
        assertThat(elsewhere.path("sentences").get(0).path("origin").asText()).isEqualTo("SENTENCE_ORIGIN_MODEL");
        assertThat(elsewhere.path("glossaryViolations").isEmpty()).isTrue();

        // the portal proposes the model's translations; each is listed with the glossary terms it misses,
        // and the administrator corrects and approves one
        HttpResponse<String> proposing = post("/api/v1/translate", portalToken(),
                "{\"text\":\"គាត់នៅផ្ទះ។ ក្រសួងសុខាភិបាលប្រកាស។\",\"targetLanguage\":\"en\",\"proposeForMemory\":true}");
        assertThat(JSON.readTree(proposing.body()).path("proposed").asInt()).as(proposing.body()).isEqualTo(2);
        Map<String, JsonNode> proposals = new HashMap<>();
        JSON.readTree(get("/api/v1/translation/memory/proposals?sourceLanguage=km&targetLanguage=en", admin).body())
                .path("proposals").forEach(proposal -> proposals.put(proposal.path("source").asText(), proposal));
        assertThat(proposals).containsOnlyKeys("គាត់នៅផ្ទះ។", "ក្រសួងសុខាភិបាលប្រកាស។");
        assertThat(proposals.get("គាត់នៅផ្ទះ។").path("missedGlossaryTerms").isEmpty()).isTrue();
        assertThat(proposals.get("ក្រសួងសុខាភិបាលប្រកាស។").path("missedGlossaryTerms").get(0).path("target").asText())
                .isEqualTo("Ministry of Health");
        HttpResponse<String> corrected = post("/api/v1/translation/memory/proposals:approve", admin, "{\"sourceLanguage\":\"km\","
                + "\"targetLanguage\":\"en\",\"approvals\":[{\"source\":\"គាត់នៅផ្ទះ។\",\"target\":\"He is at home.\"}]}");
        assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(200);
        assertThat(JSON.readTree(post("/api/v1/translate", portalToken(), "{\"text\":\"គាត់នៅផ្ទះ។\",\"targetLanguage\":\"en\"}").body())
                .path("translation").asText()).isEqualTo("He is at home.");
        assertProblem(post("/api/v1/translation/memory/proposals:approve", admin, "{\"sourceLanguage\":\"km\","
                + "\"targetLanguage\":\"en\",\"approvals\":[{\"source\":\"គាត់នៅផ្ទះ។\"}]}"), 404, "not-found");
        assertProblem(get("/api/v1/translation/memory/proposals?sourceLanguage=km&targetLanguage=en", portalToken()), 403, "forbidden");

        assertProblem(post("/api/v1/translate", portalToken(), "{\"text\":\"ខ្ញុំ\",\"targetLanguage\":\"fr\"}"), 400, "invalid-argument");
        assertProblem(post("/api/v1/translate", portalToken(), "{\"text\":\"ខ្ញុំ\"}"), 400, "missing-field");
        assertProblem(post("/api/v1/translate", reviewerToken(), text), 403, "forbidden");
        assertProblem(post("/api/v1/translation/glossary:batchPut", portalToken(), "{\"sourceLanguage\":\"km\",\"targetLanguage\":\"en\","
                + "\"terms\":[{\"source\":\"ក\",\"target\":\"k\"}]}"), 403, "forbidden");
    }

    // --- bad input ---

    @Test
    void badRequestsGetAClear4xxProblemNever500AndEachIsAudited() throws Exception {
        String token = portalToken();
        List<HttpResponse<String>> responses = new ArrayList<>();

        HttpResponse<String> malformed = post("/api/v1/segment", token, "{\"text\": ");
        assertProblem(malformed, 400, "malformed-json");
        responses.add(malformed);

        HttpResponse<String> wrongType = post("/api/v1/segment", token, "{\"text\": 42}");
        assertProblem(wrongType, 400, "malformed-json");
        responses.add(wrongType);

        HttpResponse<String> empty = post("/api/v1/segment", token, "");
        assertProblem(empty, 400, "malformed-json");
        responses.add(empty);

        HttpResponse<String> missing = post("/api/v1/segment", token, "{}");
        assertProblem(missing, 400, "missing-field");
        assertThat(JSON.readTree(missing.body()).path("detail").asText()).contains("text");
        responses.add(missing);

        byte[] invalidUtf8 = "{\"text\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> notUtf8 = send(HttpRequest.newBuilder(api("/api/v1/segment"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(invalidUtf8)));
        assertProblem(notUtf8, 400, "invalid-utf8");
        responses.add(notUtf8);

        String oversized = "{\"text\":\"" + "ក".repeat(400_000) + "\"}"; // 1.2 MB of UTF-8 over a 1 MiB limit
        HttpResponse<String> tooLarge = post("/api/v1/segment", token, oversized);
        assertProblem(tooLarge, 413, "payload-too-large");
        responses.add(tooLarge);

        HttpResponse<String> plainText = send(HttpRequest.newBuilder(api("/api/v1/segment"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(KHMER)));
        assertProblem(plainText, 415, "unsupported-media-type");
        responses.add(plainText);

        assertProblem(get("/api/v1/segment", token), 405, "method-not-allowed");
        assertProblem(get("/api/v1/nothing-here", token), 404, "not-found");

        HttpResponse<String> khmer = send(HttpRequest.newBuilder(api("/api/v1/segment"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept-Language", "km-KH,km;q=0.9,en;q=0.5")
                .POST(HttpRequest.BodyPublishers.ofString("{")));
        assertThat(JSON.readTree(khmer.body()).path("title").asText()).isEqualTo("ទិន្នន័យ JSON នៃសំណើមិនត្រឹមត្រូវ។");
        assertThat(JSON.readTree(malformed.body()).path("title").asText()).isEqualTo("The request body is not valid JSON for this method.");

        for (HttpResponse<String> response : responses) {
            AuditEvent event = awaitAudit(requestId(response), found -> !found.isEmpty()).getFirst();
            assertThat(event.getHttpStatus()).isEqualTo(response.statusCode());
            assertThat(event.getErrorCode()).isEqualTo(JSON.readTree(response.body()).path("code").asText());
            assertThat(event.getTenant()).isEqualTo(response.statusCode() == 413 ? "" : "demo-ministry");
        }

        // the platform still answers normally afterwards
        assertThat(post("/api/v1/segment", token, "{\"text\":\"\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void awkwardButValidTextGetsAResult() throws Exception {
        String token = portalToken();
        for (String text : List.of("", "   ", "\u200B\u200B", "ខ្ញុំ hello ๑๒ ១២៣ 😀 https://example.gov.kh ។", "\u0007bell")) {
            HttpResponse<String> response = post("/api/v1/segment", token, JSON.writeValueAsString(Map.of("text", text)));
            assertThat(response.statusCode()).as(text).isEqualTo(200);
        }
        HttpResponse<String> batch = post("/api/v1/segment:batch", token, "{\"texts\":[\"ទឹក\",\"បាយ\"]}");
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(batch.body()).path("results")).hasSize(2);
    }

    // --- helpers ---

    private static List<String> words(HttpResponse<String> segmented) throws Exception {
        assertThat(segmented.statusCode()).as(segmented.body()).isEqualTo(200);
        List<String> words = new ArrayList<>();
        JSON.readTree(segmented.body()).path("words").forEach(word -> words.add(word.path("text").asText()));
        return words;
    }

    private static String portalToken() throws Exception {
        return tokens.clientCredentials("demo-portal", "demo-portal-secret");
    }

    private static String reviewerToken() throws Exception {
        return tokens.password("demo-cli", "demo-reviewer", "demo-reviewer");
    }

    private static Tokens tokensOfRealm(String realm) {
        return new Tokens(URI.create(stack.keycloak().baseUri() + "/realms/" + realm + "/protocol/openid-connect/token"));
    }

    private static SegmentationServiceGrpc.SegmentationServiceBlockingStub segmentation(String token, String requestId) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), requestId);
        return SegmentationServiceGrpc.newBlockingStub(grpcEdge)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(Duration.ofSeconds(30));
    }

    private static SegmentationServiceGrpc.SegmentationServiceBlockingStub segmentationWithoutToken(String requestId) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), requestId);
        return SegmentationServiceGrpc.newBlockingStub(grpcEdge)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + stack.ports().gatewayHttp() + path);
    }

    private static HttpResponse<String> post(String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static HttpResponse<String> put(String path, String token, String json) throws Exception {
        return send(HttpRequest.newBuilder(api(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> delete(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(api(path)).header("Authorization", "Bearer " + token).DELETE());
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(api(path)).header("Authorization", "Bearer " + token).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    /** The stored audit events of one request, once {@code complete} holds for them. */
    private static List<AuditEvent> awaitAudit(String requestId, Predicate<List<AuditEvent>> complete) throws Exception {
        Instant deadline = Instant.now().plus(AUDIT_WAIT);
        List<AuditEvent> events = List.of();
        while (Instant.now().isBefore(deadline)) {
            events = storedEvents(requestId);
            if (complete.test(events)) {
                return events;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no complete audit record of request " + requestId + " within " + AUDIT_WAIT + ": " + events);
    }

    private static List<AuditEvent> storedEvents(String requestId) throws Exception {
        try (Connection db = DriverManager.getConnection(stack.auditJdbcUrl(), "postgres", "postgres");
             PreparedStatement query = db.prepareStatement("select event from audit_event where request_id = ? order by id")) {
            query.setString(1, requestId);
            List<AuditEvent> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(AuditEvent.parseFrom(rows.getBytes(1)));
                }
            }
            return events;
        }
    }

    private static JsonNode claims(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    /** The genuine token's header and claims, signed with a key Keycloak never published. */
    private static String signedByAnotherKey(String genuine) throws Exception {
        SignedJWT original = SignedJWT.parse(genuine);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(original.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(original.getHeader().getKeyID()).build(), JWTClaimsSet.parse(original.getJWTClaimsSet().toJSONObject()));
        forged.sign(new RSASSASigner(stranger));
        return forged.serialize();
    }

    /** The genuine token's claims with {@code alg: none} and no signature. */
    private static String unsigned(String genuine) {
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + genuine.split("\\.")[1] + ".";
    }

    private static JsonNode keycloakClient(String clientId) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(adminUri("/clients?clientId=" + clientId))
                .header("Authorization", "Bearer " + adminToken()).GET());
        return JSON.readTree(response.body()).get(0);
    }

    private static void updateTokenLifespan(JsonNode client, String seconds) throws Exception {
        ObjectNode changed = client.deepCopy();
        ((ObjectNode) changed.path("attributes")).put("access.token.lifespan", seconds);
        HttpResponse<String> response = send(HttpRequest.newBuilder(adminUri("/clients/" + client.path("id").asText()))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(changed))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private static URI adminUri(String path) {
        return URI.create(stack.keycloak().baseUri() + "/admin/realms/khmer-ai" + path);
    }

    private static String adminToken() throws Exception {
        return tokensOfRealm("master").password("admin-cli", "admin", "admin");
    }
}
