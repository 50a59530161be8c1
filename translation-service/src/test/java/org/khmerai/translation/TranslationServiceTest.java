package org.khmerai.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.khmerai.policy.PolicyRules.personal;
import static org.khmerai.policy.PolicyRules.terms;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.FakeModelServer;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.translation.v1.GlossaryServiceGrpc;
import org.khmerai.translation.v1.GlossaryTerm;
import org.khmerai.translation.v1.ListGlossaryTermsRequest;
import org.khmerai.translation.v1.ListMemoryEntriesRequest;
import org.khmerai.translation.v1.MemoryEntry;
import org.khmerai.translation.v1.PutGlossaryTermsRequest;
import org.khmerai.translation.v1.PutMemoryEntriesRequest;
import org.khmerai.translation.v1.RemoveGlossaryTermsRequest;
import org.khmerai.translation.v1.SentenceOrigin;
import org.khmerai.translation.v1.TranslateBatchRequest;
import org.khmerai.translation.v1.TranslateRequest;
import org.khmerai.translation.v1.TranslateResponse;
import org.khmerai.translation.v1.TranslatedSentence;
import org.khmerai.translation.v1.TranslationMemoryServiceGrpc;
import org.khmerai.translation.v1.TranslationServiceGrpc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Translation against two fake chat model servers of one alias: the first, and its fallback. */
class TranslationServiceTest extends TranslationHarness {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern GLOSSARY_LINE = Pattern.compile("^- (.+) => (.+)$", Pattern.MULTILINE);
    /** A translator that writes EN(sentence), and puts the glossary's terms in as the prompt tells it to. */
    private static final Function<String, List<String>> OBEDIENT = body -> List.of("EN(", obeying(body), ")");
    /** A translator that writes EN(sentence) and ignores the glossary. */
    private static final Function<String, List<String>> HEEDLESS = body -> List.of("EN(", sentenceOf(body), ")");
    private static final FakeModelServer PRIMARY = server();
    private static final FakeModelServer FALLBACK = server();

    @DynamicPropertySource
    static void modelServers(DynamicPropertyRegistry registry) {
        modelServer(registry, 0, "primary", PRIMARY, "sea-lion-v3");
        modelServer(registry, 1, "fallback", FALLBACK, "sea-lion-v3");
    }

    @AfterEach
    void answerAgain() {
        for (FakeModelServer server : List.of(PRIMARY, FALLBACK)) {
            server.behaviour = FakeModelServer.Behaviour.ANSWER;
            server.answers = OBEDIENT;
            server.perToken = Duration.ZERO;
        }
    }

    @AfterAll
    static void stopServers() {
        PRIMARY.close();
        FALLBACK.close();
    }

    @Test
    void aKhmerTextIsTranslatedSentenceBySentenceWithItsParagraphsKeptAndItsLanguageDetected() {
        PRIMARY.perToken = Duration.ofMillis(20); // sentences answered at once, finishing out of order
        int before = PRIMARY.requests.get();
        TranslateResponse translated = translation("education").translate(request("ខ្ញុំទៅសាលា។ អ្នកទៅណា?\n\nគាត់នៅផ្ទះ។"));

        assertThat(translated.getTranslation()).isEqualTo("EN(ខ្ញុំទៅសាលា។) EN(អ្នកទៅណា?)\n\nEN(គាត់នៅផ្ទះ។)");
        assertThat(translated.getSourceLanguage()).isEqualTo("km");
        assertThat(translated.getSourceLanguageDetected()).isTrue();
        assertThat(translated.getSentencesList()).extracting(TranslatedSentence::getOrigin).containsOnly(SentenceOrigin.SENTENCE_ORIGIN_MODEL);
        assertThat(translated.getModel()).isEqualTo("translate");
        assertThat(translated.getBackendsList()).containsExactly("primary");
        assertThat(translated.getCompletionTokens()).isEqualTo(9);
        assertThat(PRIMARY.requests.get() - before).isEqualTo(3);
        assertThat(PRIMARY.received().getLast()).contains("from Khmer to English").contains("\"temperature\":0");
    }

    @Test
    void theGlossaryIsGivenToTheModelWhereASentenceHoldsItsTermAndAnAnswerThatIgnoresItIsReported() {
        glossary("health").putGlossaryTerms(PutGlossaryTermsRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .addTerms(GlossaryTerm.newBuilder().setSource("ក្រសួងសុខាភិបាល").setTarget("Ministry of Health")).build());
        String text = "ក្រសួងសុខាភិបាលប្រកាស។ ខ្ញុំទៅសាលា។";

        TranslateResponse obeyed = translation("health").translate(request(text));
        assertThat(obeyed.getSentences(0).getTranslation()).isEqualTo("EN(Ministry of Healthប្រកាស។)");
        assertThat(obeyed.getGlossaryViolationsList()).isEmpty();
        assertThat(PRIMARY.received()).anySatisfy(body -> assertThat(body)
                .contains("ក្រសួងសុខាភិបាល => Ministry of Health").contains("\"content\":\"ក្រសួងសុខាភិបាលប្រកាស។\""));
        assertThat(PRIMARY.received()).filteredOn(body -> body.contains("\"content\":\"ខ្ញុំទៅសាលា។\""))
                .allSatisfy(body -> assertThat(body).doesNotContain("Ministry of Health"));

        PRIMARY.answers = HEEDLESS;
        TranslateResponse ignored = translation("health").translate(request(text));
        assertThat(ignored.getGlossaryViolationsList()).singleElement().satisfies(violation -> {
            assertThat(violation.getSentence()).isZero();
            assertThat(violation.getSourceTerm()).isEqualTo("ក្រសួងសុខាភិបាល");
            assertThat(violation.getRequiredTranslation()).isEqualTo("Ministry of Health");
        });

        // another ministry's calls never see this glossary
        assertThat(translation("agriculture").translate(request(text)).getGlossaryViolationsList()).isEmpty();
        assertThat(glossary("agriculture").listGlossaryTerms(ListGlossaryTermsRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("en").build()).getTermsList()).isEmpty();
        glossary("health").removeGlossaryTerms(RemoveGlossaryTermsRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .addSources("ក្រសួងសុខាភិបាល").build());
        assertThat(translation("health").translate(request(text)).getGlossaryViolationsList()).isEmpty();
    }

    @Test
    void anApprovedSentenceIsTakenFromTheMinistrysMemoryWithoutAskingTheModel() {
        memory("interior").putMemoryEntries(PutMemoryEntriesRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .addEntries(MemoryEntry.newBuilder().setSource("ខ្ញុំទៅសាលា។").setTarget("I go to school.")).build());
        int before = PRIMARY.requests.get();

        // the same sentence with a zero-width space between its words is still an exact match
        TranslateResponse translated = translation("interior").translate(request("ខ្ញុំទៅ\u200Bសាលា។ អ្នកទៅណា?"));
        assertThat(translated.getTranslation()).isEqualTo("I go to school. EN(អ្នកទៅណា?)");
        assertThat(translated.getSentencesList()).extracting(TranslatedSentence::getOrigin)
                .containsExactly(SentenceOrigin.SENTENCE_ORIGIN_MEMORY, SentenceOrigin.SENTENCE_ORIGIN_MODEL);
        assertThat(PRIMARY.requests.get() - before).isEqualTo(1);

        TranslateResponse remembered = translation("interior").translate(request("ខ្ញុំទៅសាលា។"));
        assertThat(remembered.getTranslation()).isEqualTo("I go to school.");
        assertThat(remembered.getModel()).isEmpty();
        assertThat(remembered.getBackendsList()).isEmpty();
        assertThat(PRIMARY.requests.get() - before).isEqualTo(1);

        // another ministry's memory is its own
        assertThat(translation("finance").translate(request("ខ្ញុំទៅសាលា។")).getTranslation()).isEqualTo("EN(ខ្ញុំទៅសាលា។)");
        assertThat(memory("finance").listMemoryEntries(ListMemoryEntriesRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("en").build()).getEntriesList()).isEmpty();
        assertThat(memory("interior").listMemoryEntries(ListMemoryEntriesRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("en").build()).getEntriesList()).singleElement()
                .satisfies(entry -> assertThat(entry.getApprovedBy()).isEqualTo("translator-of-interior"));
    }

    @Test
    void aBatchKeepsItsTextsInOrderAndEnglishGoesToKhmer() {
        List<TranslateResponse> translated = translation("education").translateBatch(TranslateBatchRequest.newBuilder()
                .addTexts("ខ្ញុំទៅសាលា។").addTexts("អ្នកទៅណា?").setTargetLanguage("en").build()).getTranslationsList();
        assertThat(translated).extracting(TranslateResponse::getTranslation).containsExactly("EN(ខ្ញុំទៅសាលា។)", "EN(អ្នកទៅណា?)");

        TranslateResponse khmer = translation("education").translate(TranslateRequest.newBuilder()
                .setText("Dr. Sok opened the school. Pupils came.").setTargetLanguage("km").build());
        assertThat(khmer.getSourceLanguage()).isEqualTo("en");
        assertThat(khmer.getSentencesList()).extracting(TranslatedSentence::getSource)
                .containsExactly("Dr. Sok opened the school.", "Pupils came.");
        assertThat(PRIMARY.received().getLast()).contains("from English to Khmer");
    }

    @Test
    void aServerThatFailsGivesWayToTheNextAndServersThatHangRunIntoTheCallersDeadline() {
        PRIMARY.behaviour = FakeModelServer.Behaviour.SERVER_ERROR;
        TranslateResponse translated = translation("education").translate(request("គាត់នៅផ្ទះ។"));
        assertThat(translated.getBackendsList()).containsExactly("fallback");

        PRIMARY.behaviour = FakeModelServer.Behaviour.HANG;
        FALLBACK.behaviour = FakeModelServer.Behaviour.HANG;
        long start = System.nanoTime();
        assertThatThrownBy(() -> translation("education").withDeadlineAfter(2, TimeUnit.SECONDS).translate(request("គាត់នៅផ្ទះ។")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void badRequestsAreClearInvalidArguments() {
        var translation = translation("education");
        assertInvalid(() -> translation.translate(request(" \n ")), "text is empty");
        assertInvalid(() -> translation.translate(TranslateRequest.newBuilder().setText("ខ្ញុំ").build()), "target_language must be one of [km, en]");
        assertInvalid(() -> translation.translate(TranslateRequest.newBuilder().setText("ខ្ញុំ").setTargetLanguage("fr").build()),
                "got \"fr\"");
        assertInvalid(() -> translation.translate(TranslateRequest.newBuilder().setText("ខ្ញុំ").setTargetLanguage("km").build()),
                "source and target language are the same");
        assertInvalid(() -> translation.translate(request("12345 ... 😀")), "could not be told");
        assertInvalid(() -> translation.translate(request("ក".repeat(20_001))), "at most 20000");
        assertInvalid(() -> translation.translate(TranslateRequest.newBuilder(request("ខ្ញុំ។")).setModel("gpt-4").build()),
                "no model \"gpt-4\"");
        assertInvalid(() -> translation.translateBatch(TranslateBatchRequest.newBuilder().setTargetLanguage("en").build()), "1 to 50 texts");
        assertInvalid(() -> glossary("education").putGlossaryTerms(PutGlossaryTermsRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("en").addTerms(GlossaryTerm.newBuilder().setSource(" ").setTarget("x")).build()), "each source");
        assertInvalid(() -> glossary("education").putGlossaryTerms(PutGlossaryTermsRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("km").addTerms(GlossaryTerm.newBuilder().setSource("ក").setTarget("ក")).build()), "the same");
        assertInvalid(() -> memory("education").listMemoryEntries(ListMemoryEntriesRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("en").setPageToken("%%%").build()), "page_token");
    }

    @Test
    void theMinistrysPolicyBlocksOrMasksTheTextBeforeAModelReadsItAndTheTranslationBeforeTheCallerDoes() throws Exception {
        enforce("interior", terms("no-bribes", RuleAction.RULE_ACTION_BLOCK, "សំណូក", "bribe"),
                personal("phones", RuleAction.RULE_ACTION_MASK, PersonalData.PERSONAL_DATA_PHONE_NUMBER));
        int before = PRIMARY.requests.get() + FALLBACK.requests.get();

        assertBlocked(() -> translation("interior").translate(request("គាត់សុំសំណូក។ ខ្ញុំមិនឱ្យទេ។")), "text matches", "no-bribes");
        assertThat(PRIMARY.requests.get() + FALLBACK.requests.get()).as("no model read it").isEqualTo(before);

        TranslateResponse masked = translation("interior").translate(request("ទូរស័ព្ទមក ០១២ ៣៤៥ ៦៧៨។"));
        assertThat(masked.getTranslation()).isEqualTo("EN(ទូរស័ព្ទមក [redacted:phones]។)");
        assertThat(PRIMARY.received().getLast()).contains("[redacted:phones]").doesNotContain("៣៤៥");

        PRIMARY.answers = body -> List.of("He asked for a bribe.");
        assertBlocked(() -> translation("interior").translate(request("គាត់និយាយ។")), "the translation of sentence 0 of text",
                "withheld");
        assertThat(translation("education").translate(request("គាត់និយាយ។")).getTranslation())
                .as("another ministry's rules do not apply").isEqualTo("He asked for a bribe.");
    }

    // --- helpers ---

    private static void assertBlocked(Runnable call, String... detail) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains(detail);
            assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("blocked-by-policy");
        });
    }

    private static void assertInvalid(Runnable call, String detail) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(detail);
            assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("invalid-argument");
        });
    }

    private static TranslateRequest request(String text) {
        return TranslateRequest.newBuilder().setText(text).setTargetLanguage("en").build();
    }

    private static FakeModelServer server() {
        FakeModelServer server = FakeModelServer.serving("sea-lion-v3");
        server.answers = OBEDIENT;
        return server;
    }

    private static String sentenceOf(String body) {
        JsonNode messages = JSON.readTree(body).path("messages");
        return messages.get(messages.size() - 1).path("content").asString();
    }

    private static String obeying(String body) {
        String sentence = sentenceOf(body);
        Matcher term = GLOSSARY_LINE.matcher(JSON.readTree(body).path("messages").get(0).path("content").asString());
        List<String[]> terms = new ArrayList<>();
        while (term.find()) {
            terms.add(new String[] {term.group(1), term.group(2)});
        }
        for (String[] pair : terms) {
            sentence = sentence.replace(pair[0], pair[1]);
        }
        return sentence;
    }
}
