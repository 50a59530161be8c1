package org.khmerai.llm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.khmerai.llm.v1.ChatMessage;
import org.khmerai.llm.v1.ChatRequest;
import org.khmerai.llm.v1.Role;
import org.khmerai.model.ChatCompletion;
import org.khmerai.model.ModelFailures;
import org.khmerai.model.ModelRouter;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.policy.CallPolicies;
import org.khmerai.policy.CallPolicy;

/**
 * A chat request checked against the service's limits and the ministry's policy, and turned into
 * what the model server is asked: the ministry's system prompt first (its {@code {date}} the call's
 * day), then the caller's conversation as the policy lets a model read it.
 *
 * @param policy the ministry's rules for this call's answer too
 */
record ChatCall(String alias, String tenant, ChatCompletion completion, CallPolicy policy) {

    static final int MAX_STOPS = 4;
    static final int MAX_STOP_LENGTH = 100;

    /**
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT naming what is wrong, UNAVAILABLE
     *                                        ({@code not-configured}) naming the setting to provide, or
     *                                        FAILED_PRECONDITION ({@code blocked-by-policy}) naming the rule
     */
    static ChatCall of(ChatRequest request, String tenant, LlmProperties properties, ModelRouter router, CallPolicies policies,
                       Instant now) {
        String alias = request.getModel().isBlank() ? Optional.ofNullable(properties.defaultModel()).orElse("") : request.getModel();
        if (router.servers(alias).isEmpty()) {
            throw properties.servers().isEmpty() || request.getModel().isBlank()
                    ? ModelFailures.notConfigured("khmer-ai.llm", alias)
                    : invalid("this platform serves no model \"" + alias + "\"; it serves " + router.aliases());
        }
        if (request.getMessagesCount() == 0) {
            throw invalid("messages must hold the conversation, ending with the user's message");
        }
        long characters = 0;
        for (int i = 0; i < request.getMessagesCount(); i++) {
            ChatMessage message = request.getMessages(i);
            if (message.getRole() == Role.ROLE_UNSPECIFIED || message.getRole() == Role.UNRECOGNIZED) {
                throw invalid("messages[" + i + "].role must be ROLE_SYSTEM, ROLE_USER or ROLE_ASSISTANT");
            }
            characters += message.getContent().length();
        }
        if (request.getMessages(request.getMessagesCount() - 1).getRole() != Role.ROLE_USER
                || request.getMessages(request.getMessagesCount() - 1).getContent().isBlank()) {
            throw invalid("the last message must be the user's, and say something");
        }
        if (characters > properties.maxInputChars()) {
            throw invalid("the messages hold " + characters + " characters; the limit is " + properties.maxInputChars());
        }
        if (request.hasTemperature() && !(request.getTemperature() >= 0 && request.getTemperature() <= 2)) {
            throw invalid("temperature must be between 0 and 2; got " + request.getTemperature());
        }
        if (request.hasTopP() && !(request.getTopP() > 0 && request.getTopP() <= 1)) {
            throw invalid("top_p must be above 0 and at most 1; got " + request.getTopP());
        }
        if (request.getMaxTokens() < 0 || request.getMaxTokens() > properties.maxOutputTokens()) {
            throw invalid("max_tokens must be between 1 and " + properties.maxOutputTokens() + "; got " + request.getMaxTokens());
        }
        if (request.getStopCount() > MAX_STOPS || request.getStopList().stream().anyMatch(s -> s.isEmpty() || s.length() > MAX_STOP_LENGTH)) {
            throw invalid("stop holds at most " + MAX_STOPS + " texts of 1 to " + MAX_STOP_LENGTH + " characters");
        }
        CallPolicy policy = policies.of(tenant);
        List<ChatCompletion.Message> messages = new ArrayList<>();
        String systemPrompt = properties.systemPrompt(tenant, now);
        if (!systemPrompt.isBlank()) {
            messages.add(new ChatCompletion.Message("system", systemPrompt));
        }
        for (int i = 0; i < request.getMessagesCount(); i++) {
            ChatMessage message = request.getMessages(i);
            messages.add(new ChatCompletion.Message(message.getRole().name().substring("ROLE_".length()).toLowerCase(Locale.ROOT),
                    policy.request(message.getContent(), "messages[" + i + "].content")));
        }
        return new ChatCall(alias, tenant, new ChatCompletion(messages,
                request.hasTemperature() ? Optional.of(request.getTemperature()) : Optional.empty(),
                request.hasTopP() ? Optional.of(request.getTopP()) : Optional.empty(),
                request.getMaxTokens() == 0 ? properties.maxOutputTokens() : request.getMaxTokens(),
                request.getStopList()), policy);
    }

    private static RuntimeException invalid(String detail) {
        return GrpcErrors.exception(PlatformError.INVALID_ARGUMENT, detail);
    }
}
