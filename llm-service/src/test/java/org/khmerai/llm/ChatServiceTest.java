package org.khmerai.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.khmerai.policy.PolicyRules.callPolicy;
import static org.khmerai.policy.PolicyRules.personal;
import static org.khmerai.policy.PolicyRules.terms;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.FakeModelServer;
import org.khmerai.infrastructure.FakeModelServer.Behaviour;

import org.khmerai.model.ModelRouter;
import org.khmerai.model.ModelServerHealth;
import org.khmerai.model.ModelServer;
import org.khmerai.model.OpenAiChatClient;
import org.khmerai.llm.v1.ChatChunk;
import org.khmerai.llm.v1.ChatMessage;
import org.khmerai.llm.v1.ChatRequest;
import org.khmerai.llm.v1.ChatResponse;
import org.khmerai.llm.v1.ChatServiceGrpc;
import org.khmerai.llm.v1.FinishReason;
import org.khmerai.llm.v1.Role;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.security.Caller;
import org.khmerai.policy.CallPolicy;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.audit.v1.RuleAction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Chat against fake model servers that speak vLLM's wire protocol over real HTTP and misbehave on demand. */
class ChatServiceTest {

    private static final String SYSTEM_PROMPT = "អ្នកគឺជាជំនួយការរបស់ក្រសួង។ ថ្ងៃនេះជា{date}។";
    /** Friday 4 December 2026 in Phnom Penh, where it is 7 hours later than UTC. */
    private static final Clock EARLY_FRIDAY = Clock.fixed(Instant.parse("2026-12-03T18:30:00Z"), ZoneOffset.UTC);

    private FakeModelServer primary;
    private FakeModelServer secondary;
    private Server grpc;
    private ModelRouter router;
    private ManagedChannel channel;
    /** The rules of the education ministry, whose portal makes every call here. */
    private CallPolicy educationPolicy = CallPolicy.NONE;

    @BeforeEach
    void startModelServers() throws IOException {
        primary = new FakeModelServer("sea-lion-v3");
        secondary = new FakeModelServer("sea-lion-v3-q4");
    }

    @AfterEach
    void stop() {
        stopServing();
        primary.close();
        secondary.close();
    }

    @Test
    void theAnswerStreamsWithExactUsageAndTheMinistrysSystemPromptFirst() {
        serve(Duration.ofSeconds(5), 5, server("gpu-1", primary.url()), server("cpu-1", secondary.url()));

        List<ChatChunk> chunks = new ArrayList<>();
        chat().streamChat(question("សួស្តី")).forEachRemaining(chunks::add);
        assertThat(chunks.subList(0, chunks.size() - 1)).extracting(ChatChunk::getDelta).containsExactlyElementsOf(primary.tokens);
        ChatChunk end = chunks.getLast();
        assertThat(end.getEnd().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(end.getEnd().getUsage().getCompletionTokens()).isEqualTo(primary.tokens.size());
        assertThat(end.getEnd().getUsage().getTotalTokens()).isEqualTo(end.getEnd().getUsage().getPromptTokens() + primary.tokens.size());
        assertThat(end.getEnd().getBackend()).isEqualTo("gpu-1");
        assertThat(end.getEnd().getModel()).isEqualTo("sealion");

        JsonNode sent = JsonMapper.builder().build().readTree(primary.received().getFirst());
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.path("model").asString()).isEqualTo("sea-lion-v3");
        assertThat(sent.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(sent.path("messages").get(0).path("content").asString())
                .isEqualTo("អ្នកគឺជាជំនួយការរបស់ក្រសួង។ ថ្ងៃនេះជាថ្ងៃសុក្រ ទី៤ ខែធ្នូ ឆ្នាំ២០២៦។");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(256);

        ChatResponse unary = chat().chat(question("សួស្តី"));
        assertThat(unary.getContent()).isEqualTo(String.join("", primary.tokens));
        assertThat(unary.getUsage().getCompletionTokens()).isEqualTo(primary.tokens.size());
        assertThat(secondary.requests.get()).isZero();
    }

    @Test
    void aServerThatFailsBeforeItsFirstTokenGivesWayToTheNext() throws Exception {
        for (Behaviour failure : List.of(Behaviour.TOO_MANY_REQUESTS, Behaviour.SERVER_ERROR, Behaviour.INVALID_JSON, Behaviour.HANG)) {
            primary.behaviour = failure;
            serve(Duration.ofMillis(700), 100, server("gpu-1", primary.url()), server("cpu-1", secondary.url()));
            ChatResponse answer = chat().chat(question("សួស្តី"));
            assertThat(answer.getBackend()).as(failure.name()).isEqualTo("cpu-1");
            assertThat(answer.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
            stopServing();
        }
        serve(Duration.ofSeconds(5), 100, server("gone", unusedPort()), server("cpu-1", secondary.url()));
        assertThat(chat().chat(question("សួស្តី")).getBackend()).as("connection refused").isEqualTo("cpu-1");
    }

    @Test
    void aServerThatKeepsFailingIsSkippedForAWhile() {
        primary.behaviour = Behaviour.SERVER_ERROR;
        serve(Duration.ofSeconds(5), 2, server("gpu-1", primary.url()), server("cpu-1", secondary.url()));
        for (int i = 0; i < 4; i++) {
            assertThat(chat().chat(question("សួស្តី")).getBackend()).isEqualTo("cpu-1");
        }
        assertThat(primary.requests.get()).as("open after two failures").isEqualTo(2);
    }

    @Test
    void aStreamThatBreaksOffIsReportedIncompleteNeverAsSuccess() {
        primary.behaviour = Behaviour.CUT_BEFORE_FINAL;
        serve(Duration.ofSeconds(5), 5, server("gpu-1", primary.url()), server("cpu-1", secondary.url()));

        List<ChatChunk> chunks = new ArrayList<>();
        Iterator<ChatChunk> stream = chat().streamChat(question("សួស្តី"));
        assertThatThrownBy(() -> stream.forEachRemaining(chunks::add)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("incomplete-answer");
        });
        assertThat(chunks.getLast().getEnd().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_INCOMPLETE);
        assertThat(chunks).filteredOn(ChatChunk::hasEnd).hasSize(1);
        assertThat(secondary.requests.get()).as("no fallback once the answer has begun").isZero();

        assertThatThrownBy(() -> chat().chat(question("សួស្តី"))).satisfies(e ->
                assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void aCallerWhoCancelsCancelsTheModelServersRequestAtOnce() throws Exception {
        primary.perToken = Duration.ofMillis(100);
        primary.tokens = java.util.Collections.nCopies(200, "ក");
        serve(Duration.ofSeconds(5), 5, server("gpu-1", primary.url()));

        Context.CancellableContext call = Context.current().withCancellation();
        call.run(() -> {
            Iterator<ChatChunk> stream = chat().streamChat(question("សួស្តី"));
            assertThat(stream.next().getDelta()).isEqualTo("ក");
            call.cancel(null);
        });
        assertThat(primary.clientGone.await(3, TimeUnit.SECONDS)).as("the model server saw its client go").isTrue();
    }

    @Test
    void theCallersDeadlineBoundsTheWholeCall() {
        primary.firstTokenDelay = Duration.ofSeconds(3);
        secondary.firstTokenDelay = Duration.ofSeconds(3);
        serve(Duration.ofSeconds(10), 5, server("gpu-1", primary.url()), server("cpu-1", secondary.url()));

        long start = System.nanoTime();
        assertThatThrownBy(() -> chat().withDeadlineAfter(500, TimeUnit.MILLISECONDS).chat(question("សួស្តី"))).satisfies(e ->
                assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aRequestTheServerRefusesIsTheCallersMistakeAndNotRetried() {
        primary.behaviour = Behaviour.BAD_REQUEST;
        serve(Duration.ofSeconds(5), 5, server("gpu-1", primary.url()), server("cpu-1", secondary.url()));
        assertThatThrownBy(() -> chat().chat(question("សួស្តី"))).satisfies(e -> {
            assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(Status.fromThrowable(e).getDescription()).contains("maximum context length");
        });
        assertThat(secondary.requests.get()).isZero();
    }

    @Test
    void badRequestsAreInvalidArgumentsAndReachNoModelServer() {
        serve(Duration.ofSeconds(5), 5, server("gpu-1", primary.url()));
        ChatMessage user = ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent("សួស្តី").build();
        for (ChatRequest bad : List.of(
                ChatRequest.getDefaultInstance(),
                ChatRequest.newBuilder().addMessages(user.toBuilder().setRole(Role.ROLE_UNSPECIFIED)).build(),
                ChatRequest.newBuilder().addMessages(user).addMessages(user.toBuilder().setRole(Role.ROLE_ASSISTANT)).build(),
                ChatRequest.newBuilder().addMessages(user.toBuilder().setContent("ក".repeat(4_001))).build(),
                ChatRequest.newBuilder().addMessages(user).setTemperature(3).build(),
                ChatRequest.newBuilder().addMessages(user).setTopP(0).build(),
                ChatRequest.newBuilder().addMessages(user).setMaxTokens(100_000).build(),
                ChatRequest.newBuilder().addMessages(user).addAllStop(List.of("a", "b", "c", "d", "e")).build(),
                ChatRequest.newBuilder().addMessages(user).setModel("gpt-5").build())) {
            assertThatThrownBy(() -> chat().chat(bad)).as(bad.toString()).satisfies(e ->
                    assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        assertThat(primary.requests.get()).isZero();
    }

    @Test
    void withNoModelServerConfiguredACallSaysWhichSettingToProvide() {
        grpcFor(new LlmProperties(List.of(), null, "", Map.of(), 4_000, 256, Duration.ofSeconds(5), Duration.ofSeconds(30), 3, 5,
                Duration.ofSeconds(30), Duration.ofSeconds(15), ZoneId.of("Asia/Phnom_Penh")));
        assertThatThrownBy(() -> chat().chat(question("សួស្តី"))).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("not-configured");
            assertThat(e.getStatus().getDescription()).contains("khmer-ai.llm.servers");
        });
    }

    @Test
    void aQuestionTheMinistrysPolicyBlocksReachesNoModelServer() {
        educationPolicy = callPolicy(terms("no-bribes", RuleAction.RULE_ACTION_BLOCK, "សំណូក"));
        serve(Duration.ofSeconds(5), 5, server("gpu-1", primary.url()));

        ChatRequest bribe = ChatRequest.newBuilder()
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent("សួស្តី"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent("សួស្តី!"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent("តើសំណូកប៉ុន្មាន?")).build();
        for (Runnable call : List.<Runnable>of(() -> chat().chat(bribe), () -> chat().streamChat(bribe).hasNext())) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("blocked-by-policy");
                assertThat(e.getStatus().getDescription()).contains("messages[2].content", "no-bribes");
            });
        }
        assertThat(primary.requests.get()).isZero();
    }

    @Test
    void personalDataAMaskingRuleFindsNeverReachesTheModelNorComesBackFromIt() throws Exception {
        educationPolicy = callPolicy(personal("phones", RuleAction.RULE_ACTION_MASK, PersonalData.PERSONAL_DATA_PHONE_NUMBER));
        primary.tokens = List.of("សូម", "ហៅ", " 012", " 345", " 678", "។");
        serve(Duration.ofSeconds(5), 5, server("gpu-1", primary.url()));

        List<ChatChunk> chunks = new ArrayList<>();
        chat().streamChat(question("លេខខ្ញុំ ០១២ ៣៤៥ ៦៧៨ ត្រូវទេ?")).forEachRemaining(chunks::add);

        JsonNode sent = JsonMapper.builder().build().readTree(primary.received().getFirst());
        assertThat(sent.path("messages").get(1).path("content").asString()).isEqualTo("លេខខ្ញុំ [redacted:phones] ត្រូវទេ?");
        assertThat(chunks.subList(0, chunks.size() - 1)).extracting(ChatChunk::getDelta).containsExactly("សូមហៅ [redacted:phones]។");
        assertThat(chunks.getLast().getEnd().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(chat().chat(question("សួស្តី")).getContent()).isEqualTo("សូមហៅ [redacted:phones]។");
    }

    @Test
    void anAnswerIsWithheldFromItsFirstBlockedSentenceAndTheModelsRequestCancelled() throws Exception {
        educationPolicy = callPolicy(terms("no-bribes", RuleAction.RULE_ACTION_BLOCK, "សំណូក"));
        List<String> tokens = new ArrayList<>(List.of("ការ", "ពិត", "។", " សំណូក", "គឺ", "ល្អ", "។"));
        tokens.addAll(java.util.Collections.nCopies(200, "ក"));
        primary.tokens = tokens;
        primary.perToken = Duration.ofMillis(20);
        serve(Duration.ofSeconds(5), 5, server("gpu-1", primary.url()));

        List<ChatChunk> chunks = new ArrayList<>();
        chat().streamChat(question("សួស្តី")).forEachRemaining(chunks::add);

        assertThat(chunks.subList(0, chunks.size() - 1)).extracting(ChatChunk::getDelta).containsExactly("ការពិត។ ");
        assertThat(chunks.getLast().getEnd().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CONTENT_FILTER);
        assertThat(chunks.getLast().getEnd().getWithheldBy()).isEqualTo("no-bribes");
        assertThat(primary.clientGone.await(2, TimeUnit.SECONDS)).as("the model server's request was cancelled, not read to its end")
                .isTrue();

        ChatResponse unary = chat().chat(question("សួស្តី"));
        assertThat(unary.getContent()).isEqualTo("ការពិត។ ");
        assertThat(unary.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CONTENT_FILTER);
        assertThat(unary.getWithheldBy()).isEqualTo("no-bribes");
    }

    private void serve(Duration firstTokenTimeout, int failuresToOpen, ModelServer... servers) {
        grpcFor(new LlmProperties(List.of(servers), "sealion", SYSTEM_PROMPT, Map.of(), 4_000, 256,
                firstTokenTimeout, Duration.ofSeconds(30), 3, failuresToOpen, Duration.ofMinutes(1), Duration.ofSeconds(15),
                ZoneId.of("Asia/Phnom_Penh")));
    }

    private void grpcFor(LlmProperties properties) {
        try {
            String name = InProcessServerBuilder.generateName();
            OpenAiChatClient client = new OpenAiChatClient();
            router = new ModelRouter(properties.servers(), properties.routing(), client,
                    new ModelServerHealth(properties.servers(), client, Clock.systemUTC()), Clock.systemUTC());
            ChatGrpcService service = new ChatGrpcService(properties, router,
                    tenant -> tenant.equals("education") ? educationPolicy : CallPolicy.NONE, EARLY_FRIDAY);
            grpc = InProcessServerBuilder.forName(name).addService(ServerInterceptors.intercept(service, new MinistryCaller())).build().start();
            channel = InProcessChannelBuilder.forName(name).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void stopServing() {
        channel.shutdownNow();
        grpc.shutdownNow();
        router.close();
    }

    private ChatServiceGrpc.ChatServiceBlockingStub chat() {
        return ChatServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static ChatRequest question(String text) {
        return ChatRequest.newBuilder().addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent(text)).build();
    }

    private static ModelServer server(String name, URI url) {
        return ModelServer.chat("sealion", name, url, name.startsWith("gpu") ? "sea-lion-v3" : "sea-lion-v3-q4", null, List.of());
    }

    private static URI unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    /** Every call is made by a portal of the education ministry, as a verified token would say. */
    private static final class MinistryCaller implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            Caller caller = new Caller("portal", "education", "demo-portal", Set.of("chat-user"), "unused");
            return Contexts.interceptCall(caller.attachTo(Context.current()), call, headers, next);
        }
    }
}
