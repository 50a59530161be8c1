package org.khmerai.translation;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.khmerai.model.ModelServer;
import org.khmerai.model.RoutingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code khmer-ai.translation.*}.
 *
 * @param servers           the model servers, each serving an alias; calls fall back through an alias's servers in this order
 * @param defaultModel      the alias of a call that names none
 * @param languages         the languages translated between, BCP 47 codes ({@link Language#KNOWN} lists those it knows)
 * @param maxInputChars     the longest text a call may carry
 * @param maxBatchTexts     the most texts a batch may carry
 * @param maxBatchChars     the most characters a batch's texts may hold together
 * @param maxSentenceChars  a longer sentence is cut at a space (or between clusters) and translated in parts
 * @param maxOutputTokens   the most tokens the model may answer a sentence with
 * @param concurrency       how many sentences of one call are with the model servers at once
 * @param callTimeout       the longest a call may take when the caller sets no deadline
 * @param firstTokenTimeout how long a server may take to its first token before the next one is tried
 * @param maxAttempts       how many tries a sentence gets in all, across the alias's servers
 * @param failuresToOpen    consecutive failures after which a server is skipped for {@code openFor}
 * @param openFor           how long a failing server is skipped before it is tried again
 * @param healthCheckInterval how often every server is asked for its models ({@code GET /v1/models})
 * @param proposalRetention how long a translation proposed for a ministry's memory is kept when nobody approves
 *                          or removes it; zero keeps it until somebody does
 */
@ConfigurationProperties("khmer-ai.translation")
public record TranslationProperties(@DefaultValue List<ModelServer> servers, String defaultModel,
                                    @DefaultValue("km,en") List<String> languages,
                                    @DefaultValue("20000") int maxInputChars, @DefaultValue("50") int maxBatchTexts,
                                    @DefaultValue("100000") int maxBatchChars, @DefaultValue("1000") int maxSentenceChars,
                                    @DefaultValue("1024") int maxOutputTokens, @DefaultValue("4") int concurrency,
                                    @DefaultValue("120s") Duration callTimeout, @DefaultValue("30s") Duration firstTokenTimeout,
                                    @DefaultValue("3") int maxAttempts, @DefaultValue("5") int failuresToOpen,
                                    @DefaultValue("30s") Duration openFor, @DefaultValue("15s") Duration healthCheckInterval,
                                    @DefaultValue("30d") Duration proposalRetention) {

    public TranslationProperties {
        if (proposalRetention.isNegative()) {
            throw new IllegalArgumentException("proposal-retention is " + proposalRetention + "; it must be positive, or zero to keep"
                    + " proposals until an administrator approves or removes them");
        }
        for (ModelServer server : servers) {
            Set<String> places = server.promptPlaces();
            if (server.api() == ModelServer.Api.COMPLETIONS && (!TranslationPrompt.PLACES.containsAll(places) || !places.contains("text"))) {
                throw new IllegalArgumentException("the prompt-template of model server " + server.name() + " has places for "
                        + places + "; it must have one for {text} (the sentence) and may have {source} and {target}"
                        + " (the languages' codes, such as km and en)");
            }
        }
    }

    public RoutingRules routing() {
        return new RoutingRules(firstTokenTimeout, maxAttempts, failuresToOpen, openFor);
    }
}
