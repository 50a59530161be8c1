package org.khmerai.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.FakeModelServer;
import org.khmerai.translation.v1.GlossaryTerm;
import org.khmerai.translation.v1.PutGlossaryTermsRequest;
import org.khmerai.translation.v1.TranslateRequest;
import org.khmerai.translation.v1.TranslateResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Translation by a translation model without a chat template (MADLAD-400 style, through the
 * completions API) before a chat model of the same alias as its fallback.
 */
class CompletionsTranslationTest extends TranslationHarness {

    private static final FakeModelServer MADLAD = FakeModelServer.serving("google/madlad400-3b-mt");
    private static final FakeModelServer SEALION = FakeModelServer.serving("sea-lion-v3");

    @DynamicPropertySource
    static void modelServers(DynamicPropertyRegistry registry) {
        String madlad = modelServer(registry, 0, "madlad-gpu", MADLAD, "google/madlad400-3b-mt");
        registry.add(madlad + "api", () -> "completions");
        registry.add(madlad + "prompt-template", () -> "<2{target}> {text}");
        modelServer(registry, 1, "sealion-gpu", SEALION, "sea-lion-v3");
    }

    @AfterEach
    void answerAgain() {
        MADLAD.behaviour = FakeModelServer.Behaviour.ANSWER;
    }

    @AfterAll
    static void stopServers() {
        MADLAD.close();
        SEALION.close();
    }

    @Test
    void eachSentenceIsSentInTheTemplateAndTheGlossaryIsCheckedInTheAnswer() {
        glossary("health").putGlossaryTerms(PutGlossaryTermsRequest.newBuilder().setSourceLanguage("km").setTargetLanguage("en")
                .addTerms(GlossaryTerm.newBuilder().setSource("ក្រសួងសុខាភិបាល").setTarget("Ministry of Health")).build());
        MADLAD.answers = body -> body.contains("ក្រសួងសុខាភិបាល") ? List.of("The ministry", " announced.") : List.of("I go", " to school.");

        TranslateResponse translated = translation("health").translate(TranslateRequest.newBuilder()
                .setText("ក្រសួងសុខាភិបាលប្រកាស។\nខ្ញុំទៅសាលា។").setTargetLanguage("en").build());

        assertThat(translated.getTranslation()).isEqualTo("The ministry announced.\nI go to school.");
        assertThat(translated.getBackendsList()).containsExactly("madlad-gpu");
        assertThat(translated.getCompletionTokens()).isEqualTo(4);
        assertThat(MADLAD.received()).anySatisfy(body -> assertThat(body).contains("\"prompt\":\"<2en> ក្រសួងសុខាភិបាលប្រកាស។\""))
                .anySatisfy(body -> assertThat(body).contains("\"prompt\":\"<2en> ខ្ញុំទៅសាលា។\""))
                .allSatisfy(body -> assertThat(body).doesNotContain("messages").doesNotContain("Ministry of Health"));
        // the model cannot be told the glossary's terms; the answer is still checked for them
        assertThat(translated.getGlossaryViolationsList()).singleElement().satisfies(violation -> {
            assertThat(violation.getSentence()).isZero();
            assertThat(violation.getRequiredTranslation()).isEqualTo("Ministry of Health");
        });
    }

    @Test
    void aFailingTranslationModelGivesWayToTheChatModelWhichIsGivenInstructions() {
        MADLAD.behaviour = FakeModelServer.Behaviour.SERVER_ERROR;
        SEALION.tokens = List.of("He is at home.");

        TranslateResponse translated = translation("education").translate(TranslateRequest.newBuilder()
                .setText("គាត់នៅផ្ទះ។").setTargetLanguage("en").build());

        assertThat(translated.getTranslation()).isEqualTo("He is at home.");
        assertThat(translated.getBackendsList()).containsExactly("sealion-gpu");
        assertThat(SEALION.received().getLast()).contains("\"messages\"").contains("from Khmer to English").doesNotContain("<2en>");
    }
}
