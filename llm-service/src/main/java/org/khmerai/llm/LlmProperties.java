package org.khmerai.llm;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.khmerai.model.ModelServer;
import org.khmerai.model.PromptTemplate;
import org.khmerai.model.RoutingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code khmer-ai.llm.*}.
 *
 * @param servers             the model servers, each serving an alias; calls fall back through an alias's servers in this order
 * @param defaultModel        the alias of a call that names none
 * @param defaultSystemPrompt what every conversation starts with, unless the ministry has its own; a
 *                            template whose {@code {date}} is the day of the call ({@link SystemPrompts})
 * @param systemPrompts       a ministry's own system prompt, by tenant
 * @param maxInputChars       the most characters all of a call's messages may hold together
 * @param maxOutputTokens     the most tokens a call may ask for, and what it gets when it asks for none
 * @param firstTokenTimeout   how long a server may take to its first token before the next one is tried
 * @param callTimeout         the longest a call may take when the caller sets no deadline
 * @param maxAttempts         how many tries a call gets in all, across the alias's servers
 * @param failuresToOpen      consecutive failures after which a server is skipped for {@code openFor}
 * @param openFor             how long a failing server is skipped before it is tried again
 * @param healthCheckInterval how often every server is asked for its models ({@code GET /v1/models})
 * @param timeZone            where the ministries are: the day a system prompt's {@code {date}} names
 */
@ConfigurationProperties("khmer-ai.llm")
public record LlmProperties(@DefaultValue List<ModelServer> servers, String defaultModel,
                            @DefaultValue("") String defaultSystemPrompt, @DefaultValue Map<String, String> systemPrompts,
                            @DefaultValue("32000") int maxInputChars, @DefaultValue("1024") int maxOutputTokens,
                            @DefaultValue("30s") Duration firstTokenTimeout, @DefaultValue("120s") Duration callTimeout,
                            @DefaultValue("3") int maxAttempts, @DefaultValue("5") int failuresToOpen,
                            @DefaultValue("30s") Duration openFor, @DefaultValue("15s") Duration healthCheckInterval,
                            @DefaultValue("Asia/Phnom_Penh") ZoneId timeZone) {

    public LlmProperties {
        for (ModelServer server : servers) {
            if (server.api() != ModelServer.Api.CHAT) {
                throw new IllegalArgumentException("model server " + server.name() + " answers through the " + server.api()
                        + " API; the llm service's conversations need servers of the chat API (leave api unset)");
            }
        }
        placesKnown("default-system-prompt", defaultSystemPrompt);
        systemPrompts.forEach((tenant, prompt) -> placesKnown("system-prompts." + tenant, prompt));
    }

    private static void placesKnown(String setting, String prompt) {
        Set<String> places = PromptTemplate.places(prompt);
        if (!SystemPrompts.PLACES.containsAll(places)) {
            throw new IllegalArgumentException("khmer-ai.llm." + setting + " has places for " + places + "; a system prompt's"
                    + " only place is {date}, the day of the call");
        }
    }

    public RoutingRules routing() {
        return new RoutingRules(firstTokenTimeout, maxAttempts, failuresToOpen, openFor);
    }

    /** The ministry's system prompt, or the default, for a call made at {@code now}. */
    public String systemPrompt(String tenant, Instant now) {
        return SystemPrompts.of(systemPrompts.getOrDefault(tenant, defaultSystemPrompt), now, timeZone);
    }
}
