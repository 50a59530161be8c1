package org.khmerai.llm;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.khmerai.audit.v1.ModelUsage;
import org.khmerai.llm.v1.ChatChunk;
import org.khmerai.llm.v1.ChatEnd;
import org.khmerai.llm.v1.ChatRequest;
import org.khmerai.llm.v1.ChatResponse;
import org.khmerai.llm.v1.ChatServiceGrpc;
import org.khmerai.llm.v1.FinishReason;
import org.khmerai.llm.v1.Usage;
import org.khmerai.model.AnswerSink;
import org.khmerai.model.ModelFailures;
import org.khmerai.model.ModelRouter;
import org.khmerai.model.Outcome;
import org.khmerai.platform.audit.CallAttribution;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.security.Caller;
import org.khmerai.policy.AnswerScreen;
import org.khmerai.policy.CallPolicies;
import org.khmerai.policy.CallPolicy;
import org.springframework.stereotype.Service;

/**
 * Where a chat call is served: checked ({@link ChatCall}), answered by the alias's model servers
 * ({@link ModelRouter}), the answer screened by the ministry's policy ({@link AnswerScreen}), and
 * reported honestly: a stream that broke off ends with an {@code incomplete} end frame and status
 * UNAVAILABLE, never as a success; an answer the policy withholds ends with CONTENT_FILTER. A caller
 * that cancels or goes away, or an answer withheld, cancels the model server's request at once.
 */
@Service
public class ChatGrpcService extends ChatServiceGrpc.ChatServiceImplBase {

    private final LlmProperties properties;
    private final ModelRouter router;
    private final CallPolicies policies;
    private final Clock clock;

    public ChatGrpcService(LlmProperties properties, ModelRouter router, CallPolicies policies, Clock clock) {
        this.properties = properties;
        this.router = router;
        this.policies = policies;
        this.clock = clock;
    }

    /** How a call was served: the model's outcome, and the rule that withheld the rest of the answer if one did. */
    private record Served(Outcome outcome, Optional<CallPolicy.Block> withheld) {

        String backend() {
            return switch (outcome) {
                case Outcome.Finished finished -> finished.server().name();
                case Outcome.Incomplete incomplete -> incomplete.server().name();
                default -> "";
            };
        }
    }

    @Override
    public void chat(ChatRequest request, StreamObserver<ChatResponse> response) {
        GrpcErrors.answer(response, () -> {
            ChatCall call = call(request);
            StringBuilder answer = new StringBuilder();
            Served served = serve(call, answer::append);
            ChatResponse.Builder answered = ChatResponse.newBuilder().setContent(answer.toString()).setModel(call.alias())
                    .setBackend(served.backend());
            if (served.withheld().isPresent()) {
                return answered.setFinishReason(FinishReason.FINISH_REASON_CONTENT_FILTER)
                        .setWithheldBy(served.withheld().get().ruleId()).build();
            }
            if (served.outcome() instanceof Outcome.Finished finished) {
                return answered.setFinishReason(finishReason(finished.finishReason())).setUsage(usage(finished.usage())).build();
            }
            throw ModelFailures.of(served.outcome());
        });
    }

    @Override
    public void streamChat(ChatRequest request, StreamObserver<ChatChunk> response) {
        ChatCall call;
        try {
            call = call(request);
        } catch (RuntimeException refused) {
            response.onError(refused);
            return;
        }
        Served served = serve(call, delta -> response.onNext(ChatChunk.newBuilder().setDelta(delta).build()));
        if (served.withheld().isPresent()) {
            response.onNext(end(ChatEnd.newBuilder().setFinishReason(FinishReason.FINISH_REASON_CONTENT_FILTER)
                    .setWithheldBy(served.withheld().get().ruleId()), call, served.backend()));
            response.onCompleted();
            return;
        }
        switch (served.outcome()) {
            case Outcome.Finished finished -> {
                response.onNext(end(ChatEnd.newBuilder().setFinishReason(finishReason(finished.finishReason()))
                        .setUsage(usage(finished.usage())), call, served.backend()));
                response.onCompleted();
            }
            case Outcome.Incomplete incomplete -> {
                response.onNext(end(ChatEnd.newBuilder().setFinishReason(FinishReason.FINISH_REASON_INCOMPLETE), call, served.backend()));
                response.onError(ModelFailures.of(incomplete));
            }
            case Outcome.DeadlineExceeded late when late.answerBegun() -> {
                response.onNext(end(ChatEnd.newBuilder().setFinishReason(FinishReason.FINISH_REASON_INCOMPLETE), call, ""));
                response.onError(ModelFailures.of(late));
            }
            case Outcome.Cancelled cancelled -> {
                // the caller is gone: nobody to answer
            }
            default -> response.onError(ModelFailures.of(served.outcome()));
        }
    }

    private ChatCall call(ChatRequest request) {
        return ChatCall.of(request, Caller.required().tenant(), properties, router, policies, clock.instant());
    }

    /**
     * Runs the call on the alias's servers and passes on what the ministry's policy lets through of
     * the answer. The server's request is cancelled when the caller's call is, or when the policy
     * withholds the rest of the answer.
     */
    private Served serve(ChatCall call, AnswerSink sink) {
        AnswerScreen screen = call.policy().answer();
        Outcome outcome;
        try (Context.CancellableContext scope = Context.current().withCancellation()) {
            outcome = router.chat(scope, call.alias(), call.tenant(), call.completion(), router.deadline(scope, properties.callTimeout()),
                    delta -> {
                        pass(screen.next(delta), sink);
                        if (screen.block().isPresent()) {
                            scope.cancel(null);
                        }
                    });
        }
        if (!(outcome instanceof Outcome.Cancelled)) {
            pass(screen.finish(), sink);
        }
        Served served = new Served(outcome, screen.block());
        audit(call, served);
        return served;
    }

    private static void pass(String text, AnswerSink sink) {
        if (!text.isEmpty()) {
            sink.delta(text);
        }
    }

    private static void audit(ChatCall call, Served served) {
        CallAttribution.current().ifPresent(attribution -> {
            ModelUsage.Builder usage = ModelUsage.newBuilder();
            switch (served.outcome()) {
                case Outcome.Finished finished -> usage.setPromptTokens(finished.usage().promptTokens())
                        .setCompletionTokens(finished.usage().completionTokens()).setFinishReason(finished.finishReason());
                case Outcome.Incomplete incomplete -> usage.setFinishReason("incomplete");
                default -> {
                }
            }
            if (served.withheld().isPresent()) {
                usage.setFinishReason("content_filter");
            }
            attribution.servedBy(call.alias(), served.backend(), usage.build());
        });
    }

    private static ChatChunk end(ChatEnd.Builder end, ChatCall call, String backend) {
        return ChatChunk.newBuilder().setEnd(end.setModel(call.alias()).setBackend(backend)).build();
    }

    private static FinishReason finishReason(String upstream) {
        return switch (upstream.toLowerCase(Locale.ROOT)) {
            case "length" -> FinishReason.FINISH_REASON_LENGTH;
            case "content_filter" -> FinishReason.FINISH_REASON_CONTENT_FILTER;
            default -> FinishReason.FINISH_REASON_STOP; // "stop", and the "eos" some servers send
        };
    }

    private static Usage usage(Outcome.Usage usage) {
        return Usage.newBuilder().setPromptTokens(usage.promptTokens()).setCompletionTokens(usage.completionTokens())
                .setTotalTokens(usage.totalTokens()).build();
    }
}
