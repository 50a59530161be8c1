package org.khmerai.llm;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
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
import org.springframework.stereotype.Service;

/**
 * Where a chat call is served: checked ({@link ChatCall}), answered by the alias's model servers
 * ({@link ModelRouter}), and reported honestly: a stream that broke off ends with an
 * {@code incomplete} end frame and status UNAVAILABLE, never as a success. A caller that cancels or
 * goes away cancels the model server's request at once.
 */
@Service
public class ChatGrpcService extends ChatServiceGrpc.ChatServiceImplBase {

    private final LlmProperties properties;
    private final ModelRouter router;

    public ChatGrpcService(LlmProperties properties, ModelRouter router) {
        this.properties = properties;
        this.router = router;
    }

    @Override
    public void chat(ChatRequest request, StreamObserver<ChatResponse> response) {
        GrpcErrors.answer(response, () -> {
            ChatCall call = ChatCall.of(request, Caller.required().tenant(), properties, router);
            StringBuilder answer = new StringBuilder();
            Outcome outcome = serve(call, answer::append);
            if (outcome instanceof Outcome.Finished finished) {
                return ChatResponse.newBuilder().setContent(answer.toString()).setFinishReason(finishReason(finished.finishReason()))
                        .setUsage(usage(finished.usage())).setModel(call.alias()).setBackend(finished.server().name()).build();
            }
            throw ModelFailures.of(outcome);
        });
    }

    @Override
    public void streamChat(ChatRequest request, StreamObserver<ChatChunk> response) {
        ChatCall call;
        try {
            call = ChatCall.of(request, Caller.required().tenant(), properties, router);
        } catch (RuntimeException refused) {
            response.onError(refused);
            return;
        }
        Outcome outcome = serve(call, delta -> response.onNext(ChatChunk.newBuilder().setDelta(delta).build()));
        switch (outcome) {
            case Outcome.Finished finished -> {
                response.onNext(ChatChunk.newBuilder().setEnd(ChatEnd.newBuilder().setFinishReason(finishReason(finished.finishReason()))
                        .setUsage(usage(finished.usage())).setModel(call.alias()).setBackend(finished.server().name())).build());
                response.onCompleted();
            }
            case Outcome.Incomplete incomplete -> {
                response.onNext(incompleteEnd(call.alias(), incomplete.server().name()));
                response.onError(ModelFailures.of(outcome));
            }
            case Outcome.DeadlineExceeded late when late.answerBegun() -> {
                response.onNext(incompleteEnd(call.alias(), ""));
                response.onError(ModelFailures.of(outcome));
            }
            case Outcome.Cancelled cancelled -> {
                // the caller is gone: nobody to answer
            }
            default -> response.onError(ModelFailures.of(outcome));
        }
    }

    /** Runs the call on the alias's servers, cancelling the server's request when the caller's call is cancelled. */
    private Outcome serve(ChatCall call, AnswerSink sink) {
        Context context = Context.current();
        Outcome outcome = router.chat(context, call.alias(), call.tenant(), call.completion(), router.deadline(context, properties.callTimeout()), sink);
        audit(call, outcome);
        return outcome;
    }

    private static void audit(ChatCall call, Outcome outcome) {
        CallAttribution.current().ifPresent(attribution -> {
            switch (outcome) {
                case Outcome.Finished finished -> attribution.servedBy(call.alias(), finished.server().name(), ModelUsage.newBuilder()
                        .setPromptTokens(finished.usage().promptTokens()).setCompletionTokens(finished.usage().completionTokens())
                        .setFinishReason(finished.finishReason()).build());
                case Outcome.Incomplete incomplete -> attribution.servedBy(call.alias(), incomplete.server().name(),
                        ModelUsage.newBuilder().setFinishReason("incomplete").build());
                default -> attribution.servedBy(call.alias(), "", ModelUsage.getDefaultInstance());
            }
        });
    }

    private static ChatChunk incompleteEnd(String alias, String backend) {
        return ChatChunk.newBuilder().setEnd(ChatEnd.newBuilder().setFinishReason(FinishReason.FINISH_REASON_INCOMPLETE)
                .setModel(alias).setBackend(backend)).build();
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
