package org.khmerai.translation;

import static org.khmerai.platform.error.GrpcErrors.invalid;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.khmerai.audit.v1.ModelUsage;
import org.khmerai.model.ModelFailures;
import org.khmerai.model.ModelRouter;
import org.khmerai.model.Outcome;
import org.khmerai.platform.audit.CallAttribution;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.policy.CallPolicies;
import org.khmerai.policy.CallPolicy;
import org.khmerai.text.sentence.SentenceSplitter;
import org.khmerai.translation.resources.Glossary;
import org.khmerai.translation.resources.LanguagePair;
import org.khmerai.translation.resources.MemoryProposals;
import org.khmerai.translation.resources.ResourceCalls;
import org.khmerai.translation.resources.ResourceEntry;
import org.khmerai.translation.resources.ResourceStore;
import org.khmerai.translation.resources.ResourceStores;
import org.khmerai.translation.v1.GlossaryViolation;
import org.khmerai.translation.v1.TranslateResponse;
import org.khmerai.translation.v1.TranslatedSentence;
import org.springframework.stereotype.Component;

/**
 * Where a translation is made: each text as the ministry's policy lets a model read it, split into
 * sentences; each sentence answered from the
 * ministry's translation memory when an approved translation of it is there, else by a model
 * server (several sentences at once), with the glossary's terms it holds given to the model and
 * looked for in the answer; each translation as the policy lets the caller read it, and proposed for
 * the memory if the caller asked; then each text put back together with its own spacing and line breaks.
 * One sentence that cannot be translated fails the call, and the others' requests are cancelled.
 */
@Component
public class Translator {

    private final TranslationProperties properties;
    private final Languages languages;
    private final ModelRouter router;
    private final ResourceStores stores;
    private final ResourceStore memories;
    private final MemoryProposals proposals;
    private final SentenceSplitter splitter;
    private final CallPolicies policies;
    private final Clock clock;

    public Translator(TranslationProperties properties, Languages languages, ModelRouter router, ResourceStores stores,
                      MemoryProposals proposals, CallPolicies policies, Clock clock) {
        this.properties = properties;
        this.languages = languages;
        this.router = router;
        this.stores = stores;
        this.memories = stores.memories();
        this.proposals = proposals;
        this.splitter = new SentenceSplitter(properties.maxSentenceChars());
        this.policies = policies;
        this.clock = clock;
    }

    /**
     * One text of a call, split.
     *
     * @param field how the caller names it: "text", "texts[3]"
     * @param text  the text as the policy lets a model read it
     */
    private record TextWork(String field, String text, LanguagePair pair, boolean detected, List<SentenceWork> sentences) {
    }

    /**
     * @param sourceLanguage empty to detect each text's language
     * @param model          empty for the default alias
     * @param proposer       who proposes the model's translations for the ministry's memory, if the caller asked to
     * @throws StatusRuntimeException INVALID_ARGUMENT naming what is wrong, UNAVAILABLE ({@code not-configured})
     *                                when a sentence needs a model and none is configured, FAILED_PRECONDITION
     *                                ({@code blocked-by-policy}) when a text or a translation matches a blocking
     *                                rule of the ministry, FAILED_PRECONDITION ({@code conflict}) when the
     *                                translations cannot be proposed, or the model's failure
     */
    public List<TranslateResponse> translate(String tenant, List<String> texts, String sourceLanguage, String targetLanguage,
                                             String model, Optional<String> proposer) {
        Language target = languages.require(targetLanguage, "target_language");
        String alias = alias(model);
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                throw invalid(field(texts, i) + " is empty; send the text to translate");
            }
        }
        CallPolicy policy = policies.of(tenant);
        List<TextWork> work = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            work.add(split(texts.get(i), field(texts, i), sourceLanguage, target, policy));
        }
        List<SentenceWork> forModel = new ArrayList<>();
        byPair(work.stream().flatMap(text -> text.sentences().stream()).toList())
                .forEach((pair, sentences) -> forModel.addAll(fromMemory(tenant, pair, sentences)));
        Map<LanguagePair, List<SentenceWork>> forModelByPair = byPair(forModel);
        if (proposer.isPresent()) {
            forModelByPair.forEach((pair, sentences) -> proposals.checkRoom(tenant, pair, sentences.size()));
        }
        if (!forModel.isEmpty()) {
            translateByModel(forModel, alias, tenant);
        }
        work.forEach(text -> screen(text, policy));
        proposer.ifPresent(by -> propose(tenant, by, forModelByPair));
        return work.stream().map(text -> response(text, alias)).toList();
    }

    private static Map<LanguagePair, List<SentenceWork>> byPair(List<SentenceWork> sentences) {
        Map<LanguagePair, List<SentenceWork>> byPair = new LinkedHashMap<>();
        sentences.forEach(sentence -> byPair.computeIfAbsent(sentence.pair, pair -> new ArrayList<>()).add(sentence));
        return byPair;
    }

    /** The model's translations, as the caller reads them, proposed for the memory; each sentence proposed is marked. */
    private void propose(String tenant, String proposer, Map<LanguagePair, List<SentenceWork>> translated) {
        Instant now = clock.instant();
        translated.forEach((pair, sentences) -> {
            Map<String, SentenceWork> byKey = new LinkedHashMap<>();
            sentences.forEach(sentence -> byKey.put(sentence.memoryKey, sentence));
            List<ResourceEntry> proposed = proposals.propose(tenant, pair, byKey.values().stream()
                    .map(sentence -> new ResourceEntry(sentence.memoryKey, sentence.source, sentence.translation, proposer, now)).toList());
            Set<String> keys = proposed.stream().map(ResourceEntry::key).collect(Collectors.toSet());
            sentences.forEach(sentence -> sentence.proposed = keys.contains(sentence.memoryKey));
        });
    }

    private static String field(List<String> texts, int i) {
        return texts.size() == 1 ? "text" : "texts[" + i + "]";
    }

    private String alias(String model) {
        String alias = model.isBlank() ? Optional.ofNullable(properties.defaultModel()).orElse("") : model;
        if (!model.isBlank() && router.servers(model).isEmpty() && !router.aliases().isEmpty()) {
            throw invalid("this platform translates with no model \"" + model + "\"; it has " + router.aliases());
        }
        return alias;
    }

    /** The text's language found (in the caller's own text), then the text as the policy lets a model read it, split. */
    private TextWork split(String text, String field, String sourceLanguage, Language target, CallPolicy policy) {
        boolean detect = sourceLanguage.isBlank();
        Language source = detect ? languages.detect(text) : languages.require(sourceLanguage, "source_language");
        if (source.equals(target)) {
            throw invalid(field + " is already in " + target.name() + (detect ? " (detected)" : "")
                    + ": source and target language are the same");
        }
        LanguagePair pair = new LanguagePair(source, target);
        String readable = policy.request(text, field);
        return new TextWork(field, readable, pair, detect,
                splitter.split(readable).stream().map(span -> new SentenceWork(span, readable, pair)).toList());
    }

    /** Answers the sentences the memory holds; returns the others, each with the glossary terms it holds. */
    private List<SentenceWork> fromMemory(String tenant, LanguagePair pair, List<SentenceWork> sentences) {
        Glossary glossary = ResourceCalls.stored(() -> stores.glossary(tenant, pair));
        Map<String, ResourceEntry> approved = ResourceCalls.stored(() ->
                memories.find(tenant, pair, sentences.stream().map(sentence -> sentence.memoryKey).distinct().toList()));
        List<SentenceWork> rest = new ArrayList<>();
        for (SentenceWork sentence : sentences) {
            ResourceEntry remembered = approved.get(sentence.memoryKey);
            if (remembered != null) {
                sentence.fromMemory(remembered.target());
            } else {
                sentence.glossaryTerms = glossary.termsIn(sentence.source);
                rest.add(sentence);
            }
        }
        return rest;
    }

    /** Up to {@code concurrency} sentences with the servers at once; the first failure cancels the rest and is the call's. */
    private void translateByModel(List<SentenceWork> sentences, String alias, String tenant) {
        if (router.servers(alias).isEmpty()) {
            throw ModelFailures.notConfigured("khmer-ai.translation", alias);
        }
        try {
            translateAll(sentences, alias, tenant);
        } finally {
            audit(alias, sentences); // after every sentence's thread has ended
        }
    }

    private void translateAll(List<SentenceWork> sentences, String alias, String tenant) {
        Context call = Context.current();
        Instant deadline = router.deadline(call, properties.callTimeout());
        Semaphore slots = new Semaphore(properties.concurrency());
        try (Context.CancellableContext scope = call.withCancellation();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(threads);
            for (SentenceWork sentence : sentences) {
                done.submit(() -> {
                    slots.acquire();
                    try {
                        if (!scope.isCancelled()) {
                            translateOne(sentence, alias, tenant, scope, deadline);
                        }
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
            try {
                for (int i = 0; i < sentences.size(); i++) {
                    done.take().get();
                }
            } catch (ExecutionException failed) {
                scope.cancel(failed.getCause());
                throw failed.getCause() instanceof StatusRuntimeException status ? status
                        : new IllegalStateException("a sentence's translation failed", failed.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                scope.cancel(e);
                throw GrpcErrors.exception(PlatformError.SERVICE_UNAVAILABLE, "the service is stopping");
            }
        }
    }

    private void translateOne(SentenceWork sentence, String alias, String tenant, Context scope, Instant deadline) {
        StringBuilder answer = new StringBuilder();
        Outcome outcome = router.chat(scope, alias, tenant,
                TranslationPrompt.of(sentence.pair, sentence.glossaryTerms, sentence.source, properties.maxOutputTokens()),
                deadline, answer::append);
        if (!(outcome instanceof Outcome.Finished finished)) {
            throw ModelFailures.of(outcome);
        }
        if (finished.finishReason().equals("length")) {
            throw GrpcErrors.exception(PlatformError.INCOMPLETE_ANSWER, "the translation of a sentence ran past "
                    + properties.maxOutputTokens() + " tokens (khmer-ai.translation.max-output-tokens); it starts: "
                    + sentence.source.substring(0, Math.min(80, sentence.source.length())));
        }
        sentence.fromModel(answer.toString().strip(), finished.server().name(), finished.usage());
    }

    /** Each translation of a text as the ministry's policy lets the caller read it; one that a rule blocks refuses the call. */
    private static void screen(TextWork text, CallPolicy policy) {
        for (int i = 0; i < text.sentences().size(); i++) {
            SentenceWork sentence = text.sentences().get(i);
            CallPolicy.Screened screened = policy.screen(sentence.translation);
            if (screened.block().isPresent()) {
                throw CallPolicy.blocked(screened.block().get().reason("the translation of sentence " + i + " of " + text.field())
                        + "; it was withheld");
            }
            sentence.translation = screened.text();
        }
    }

    /** The call's audit event names the alias, the servers and the tokens of all its sentences. */
    private static void audit(String alias, List<SentenceWork> sentences) {
        CallAttribution.current().ifPresent(attribution -> attribution.servedBy(alias,
                String.join(",", sentences.stream().map(sentence -> sentence.backend).filter(backend -> !backend.isEmpty())
                        .distinct().toList()),
                ModelUsage.newBuilder()
                        .setPromptTokens(sentences.stream().mapToInt(sentence -> sentence.usage.promptTokens()).sum())
                        .setCompletionTokens(sentences.stream().mapToInt(sentence -> sentence.usage.completionTokens()).sum())
                        .setFinishReason(sentences.stream().allMatch(sentence -> sentence.translation != null) ? "stop" : "incomplete")
                        .build()));
    }

    /** The text put back together: the translations in the source's places, with the source's own spacing between them. */
    private static TranslateResponse response(TextWork work, String alias) {
        TranslateResponse.Builder response = TranslateResponse.newBuilder().setSourceLanguage(work.pair().source().code())
                .setSourceLanguageDetected(work.detected()).setTargetLanguage(work.pair().target().code());
        StringBuilder translation = new StringBuilder();
        int at = 0;
        int promptTokens = 0;
        int completionTokens = 0;
        int proposed = 0;
        for (int i = 0; i < work.sentences().size(); i++) {
            SentenceWork sentence = work.sentences().get(i);
            String between = work.text().substring(at, sentence.span.start());
            translation.append(between.isEmpty() && i > 0 ? " " : between).append(sentence.translation);
            at = sentence.span.end();
            response.addSentences(TranslatedSentence.newBuilder().setSource(sentence.source).setTranslation(sentence.translation)
                    .setOrigin(sentence.origin));
            for (ResourceEntry missing : Glossary.missingIn(sentence.glossaryTerms, sentence.translation)) {
                response.addGlossaryViolations(GlossaryViolation.newBuilder().setSentence(i).setSourceTerm(missing.source())
                        .setRequiredTranslation(missing.target()));
            }
            if (!sentence.backend.isEmpty() && !response.getBackendsList().contains(sentence.backend)) {
                response.addBackends(sentence.backend);
            }
            promptTokens += sentence.usage.promptTokens();
            completionTokens += sentence.usage.completionTokens();
            proposed += sentence.proposed ? 1 : 0;
        }
        translation.append(work.text().substring(at));
        if (response.getBackendsCount() > 0) {
            response.setModel(alias);
        }
        return response.setTranslation(translation.toString()).setPromptTokens(promptTokens).setCompletionTokens(completionTokens)
                .setProposed(proposed).build();
    }
}
