package org.khmerai.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.khmerai.policy.PolicyRules.personal;
import static org.khmerai.policy.PolicyRules.terms;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.khmerai.translation.resources.MemoryProposals;
import org.khmerai.translation.v1.ApproveMemoryProposalsRequest;
import org.khmerai.translation.v1.GlossaryServiceGrpc;
import org.khmerai.translation.v1.GlossaryTerm;
import org.khmerai.translation.v1.ListGlossaryTermsRequest;
import org.khmerai.translation.v1.ListMemoryEntriesRequest;
import org.khmerai.translation.v1.ListMemoryProposalsRequest;
import org.khmerai.translation.v1.MemoryApproval;
import org.khmerai.translation.v1.MemoryEntry;
import org.khmerai.translation.v1.MemoryProposal;
import org.khmerai.translation.v1.PutGlossaryTermsRequest;
import org.khmerai.translation.v1.PutMemoryEntriesRequest;
import org.khmerai.translation.v1.RemoveGlossaryTermsRequest;
import org.khmerai.translation.v1.RemoveMemoryProposalsRequest;
import org.khmerai.translation.v1.ResourceChange;
import org.khmerai.translation.v1.SentenceOrigin;
import org.khmerai.translation.v1.TranslateBatchRequest;
import org.khmerai.translation.v1.TranslateRequest;
import org.khmerai.translation.v1.TranslateResponse;
import org.khmerai.translation.v1.TranslatedSentence;
import org.khmerai.translation.v1.TranslationMemoryServiceGrpc;
import org.khmerai.translation.v1.TranslationServiceGrpc;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
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

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private MemoryProposals memoryProposals;
    @Autowired
    @Qualifier("proposalExpiry")
    private SmartLifecycle proposalExpiry;

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
    void aTranslatorProposesTheModelsTranslationsAndAnAdministratorApprovesOrCorrectsThemIntoTheMemory() {
        memory("commerce").putMemoryEntries(PutMemoryEntriesRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .addEntries(MemoryEntry.newBuilder().setSource("ខ្ញុំទៅសាលា។").setTarget("I go to school.")).build());
        assertThat(translation("commerce").translate(request("គាត់នៅផ្ទះ។")).getProposed()).as("not asked to").isZero();
        assertThat(proposals("commerce")).isEmpty();

        TranslateResponse proposing = translation("commerce").translate(request("ខ្ញុំទៅសាលា។ អ្នកទៅណា? គាត់នៅផ្ទះ។").toBuilder()
                .setProposeForMemory(true).build());
        assertThat(proposing.getProposed()).as("the sentence from the memory is not proposed").isEqualTo(2);
        assertThat(proposals("commerce")).extracting(MemoryProposal::getSource, MemoryProposal::getTarget, MemoryProposal::getProposedBy)
                .containsExactlyInAnyOrder(tuple("អ្នកទៅណា?", "EN(អ្នកទៅណា?)", "translator-of-commerce"),
                        tuple("គាត់នៅផ្ទះ។", "EN(គាត់នៅផ្ទះ។)", "translator-of-commerce"));
        assertThat(proposals("finance")).as("another ministry's").isEmpty();

        // all or nothing: a sentence nobody proposed fails the call, naming it, and the other stays proposed
        assertThatThrownBy(() -> approve("commerce", approval("អ្នកទៅណា?", ""), approval("ខ្ញុំទៅសាលា។", "")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("ខ្ញុំទៅសាលា។");
                });
        assertThatThrownBy(() -> approve("finance", approval("អ្នកទៅណា?", ""))).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as("another ministry's proposal").isEqualTo(Status.Code.NOT_FOUND));
        assertThat(proposals("commerce")).hasSize(2);

        // typed with a zero-width space, the sentence is still the proposal's; one approved as it is, one corrected
        assertThat(approve("commerce", approval("អ្នក\u200Bទៅណា?", ""), approval("គាត់នៅផ្ទះ។", "He is at home.")).getChanged())
                .isEqualTo(2);
        assertThat(proposals("commerce")).isEmpty();
        int before = PRIMARY.requests.get();
        TranslateResponse remembered = translation("commerce").translate(request("អ្នកទៅណា? គាត់នៅផ្ទះ។").toBuilder()
                .setProposeForMemory(true).build());
        assertThat(remembered.getTranslation()).isEqualTo("EN(អ្នកទៅណា?) He is at home.");
        assertThat(remembered.getProposed()).isZero();
        assertThat(PRIMARY.requests.get()).as("no model asked").isEqualTo(before);
        assertThat(memory("commerce").listMemoryEntries(ListMemoryEntriesRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("en").build()).getEntriesList()).extracting(MemoryEntry::getApprovedBy).containsOnly("translator-of-commerce");

        // a proposal turned down is gone; a later proposal of a sentence replaces the earlier one
        translation("commerce").translate(request("ថ្ងៃនេះក្ដៅ។").toBuilder().setProposeForMemory(true).build());
        PRIMARY.answers = body -> List.of("It is hot today.");
        translation("commerce").translate(request("ថ្ងៃនេះ\u200Bក្ដៅ។").toBuilder().setProposeForMemory(true).build());
        assertThat(proposals("commerce")).singleElement().satisfies(proposal -> assertThat(proposal.getTarget()).isEqualTo("It is hot today."));
        assertThat(memory("commerce").removeMemoryProposals(RemoveMemoryProposalsRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("en").addSources("ថ្ងៃនេះក្ដៅ។").addSources("never proposed").build()).getChanged()).isEqualTo(1);
        assertThat(proposals("commerce")).isEmpty();

        assertInvalid(() -> approve("commerce"), "1 to 500 entries");
        assertInvalid(() -> approve("commerce", approval("អ្នកទៅណា?", " ".repeat(3) + "x".repeat(2_001))), "target");
    }

    @Test
    void eachMemoryEntryAndProposalIsListedWithTheGlossaryTermsItsTranslationMisses() {
        putTerm("rural-development", "ក្រសួងផែនការ", "Ministry of Planning");
        PRIMARY.answers = HEEDLESS;
        String text = "ក្រសួងផែនការប្រកាស។ ខ្ញុំទៅសាលា។";
        translation("rural-development").translate(request(text).toBuilder().setProposeForMemory(true).build());

        assertThat(missedTerms(proposals("rural-development"))).containsExactly(
                entry("ក្រសួងផែនការប្រកាស។", List.of("ក្រសួងផែនការ => Ministry of Planning")), entry("ខ្ញុំទៅសាលា។", List.of()));

        // checked against the glossary as it stands when listed: a term added after the proposal counts
        putTerm("rural-development", "សាលា", "school");
        assertThat(missedTerms(proposals("rural-development"))).containsEntry("ខ្ញុំទៅសាលា។", List.of("សាលា => school"));
        assertThat(missedTerms(proposals("health"))).as("another ministry's glossary").isEmpty();

        // the memory's own entries are checked the same way
        memory("rural-development").putMemoryEntries(PutMemoryEntriesRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .addEntries(MemoryEntry.newBuilder().setSource("ក្រសួងផែនការប្រជុំ។").setTarget("The ministry met."))
                .addEntries(MemoryEntry.newBuilder().setSource("ក្រសួងផែនការថ្លែង។").setTarget("The Ministry of Planning spoke.")).build());
        Map<String, List<String>> entries = new LinkedHashMap<>();
        memory("rural-development").listMemoryEntries(ListMemoryEntriesRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .build()).getEntriesList().forEach(entry -> entries.put(entry.getSource(), named(entry.getMissedGlossaryTermsList())));
        assertThat(entries).containsOnly(entry("ក្រសួងផែនការប្រជុំ។", List.of("ក្រសួងផែនការ => Ministry of Planning")),
                entry("ក្រសួងផែនការថ្លែង។", List.of()));

        // proposed again by a translation that keeps the glossary, neither misses anything
        PRIMARY.answers = OBEDIENT;
        translation("rural-development").translate(request(text).toBuilder().setProposeForMemory(true).build());
        assertThat(missedTerms(proposals("rural-development"))).containsOnly(entry("ក្រសួងផែនការប្រកាស។", List.of()),
                entry("ខ្ញុំទៅសាលា។", List.of()));
    }

    private void putTerm(String tenant, String source, String target) {
        glossary(tenant).putGlossaryTerms(PutGlossaryTermsRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .addTerms(GlossaryTerm.newBuilder().setSource(source).setTarget(target)).build());
    }

    /** Each proposal's source, with the glossary terms it misses as "source => target". */
    private static Map<String, List<String>> missedTerms(List<MemoryProposal> proposals) {
        Map<String, List<String>> missed = new LinkedHashMap<>();
        proposals.forEach(proposal -> missed.put(proposal.getSource(), named(proposal.getMissedGlossaryTermsList())));
        return missed;
    }

    /** Glossary terms as "source => target". */
    private static List<String> named(List<GlossaryTerm> terms) {
        return terms.stream().map(term -> term.getSource() + " => " + term.getTarget()).toList();
    }

    @Test
    void proposalsNobodyApprovedOrRemovedWithinTheirRetentionExpire() {
        jdbc.update("insert into translation_proposal values ('tourism', 'km', 'en', 'old', 'old', 'x', 'y', now() - interval '31 days'),"
                + " ('tourism', 'km', 'en', 'recent', 'recent', 'x', 'y', now() - interval '29 days')");

        assertThat(memoryProposals.expireBefore(Instant.now().minus(Duration.ofDays(30)))).isEqualTo(1);
        assertThat(proposals("tourism")).extracting(MemoryProposal::getSource).containsExactly("recent");
        assertThat(proposalExpiry.isRunning()).as("hourly while the service runs").isTrue();
    }

    @Test
    void aMinistryWhoseProposalsAreFullIsToldBeforeAnyModelIsAsked() {
        jdbc.update("insert into translation_proposal select 'crowded', 'km', 'en', 'key ' || n, 'sentence ' || n, 'translation', 'x', now()"
                + " from generate_series(1, 100000) n");
        int before = PRIMARY.requests.get();

        assertThatThrownBy(() -> translation("crowded").translate(request("គាត់នៅផ្ទះ។").toBuilder().setProposeForMemory(true).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("100000 proposed translations", "approves or removes");
                    assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("conflict");
                });
        assertThat(PRIMARY.requests.get()).isEqualTo(before);
        assertThat(translation("crowded").translate(request("គាត់នៅផ្ទះ។")).getTranslation()).isEqualTo("EN(គាត់នៅផ្ទះ។)");
    }

    @Test
    void aBatchKeepsItsTextsInOrderAndEnglishGoesToKhmer() {
        List<TranslateResponse> translated = translation("education").translateBatch(TranslateBatchRequest.newBuilder()
                .addTexts("ខ្ញុំទៅសាលា។").addTexts("អ្នកទៅណា?").setTargetLanguage("en").build()).getTranslationsList();
        assertThat(translated).extracting(TranslateResponse::getTranslation).containsExactly("EN(ខ្ញុំទៅសាលា។)", "EN(អ្នកទៅណា?)");

        // a batch proposes each text's sentences; a sentence in two texts is one proposal
        List<TranslateResponse> proposing = translation("sport").translateBatch(TranslateBatchRequest.newBuilder()
                .addTexts("ខ្ញុំទៅសាលា។ អ្នកទៅណា?").addTexts("អ្នកទៅណា?").setTargetLanguage("en").setProposeForMemory(true).build())
                .getTranslationsList();
        assertThat(proposing).extracting(TranslateResponse::getProposed).containsExactly(2, 1);
        assertThat(proposals("sport")).extracting(MemoryProposal::getSource).containsExactlyInAnyOrder("ខ្ញុំទៅសាលា។", "អ្នកទៅណា?");

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

        TranslateResponse proposed = translation("interior").translate(request("ទូរស័ព្ទមក ០១២ ៣៤៥ ៦៧៨។").toBuilder()
                .setProposeForMemory(true).build());
        assertThat(proposed.getProposed()).isEqualTo(1);
        assertThat(proposals("interior")).singleElement().satisfies(proposal -> {
            assertThat(proposal.getSource()).as("proposed as the model read it").isEqualTo("ទូរស័ព្ទមក [redacted:phones]។");
            assertThat(proposal.getTarget()).isEqualTo("EN(ទូរស័ព្ទមក [redacted:phones]។)");
        });

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

    private List<MemoryProposal> proposals(String tenant) {
        return memory(tenant).listMemoryProposals(ListMemoryProposalsRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .build()).getProposalsList();
    }

    private ResourceChange approve(String tenant, MemoryApproval... approvals) {
        return memory(tenant).approveMemoryProposals(ApproveMemoryProposalsRequest.newBuilder().setSourceLanguage("km")
                .setTargetLanguage("en").addAllApprovals(List.of(approvals)).build());
    }

    private static MemoryApproval approval(String source, String target) {
        return MemoryApproval.newBuilder().setSource(source).setTarget(target).build();
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
