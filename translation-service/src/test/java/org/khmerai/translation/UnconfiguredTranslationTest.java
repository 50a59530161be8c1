package org.khmerai.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.translation.v1.MemoryEntry;
import org.khmerai.translation.v1.PutMemoryEntriesRequest;
import org.khmerai.translation.v1.TranslateRequest;
import org.khmerai.translation.v1.TranslationMemoryServiceGrpc;
import org.khmerai.translation.v1.TranslationServiceGrpc;

/** A site with no model server configured: what needs a model is refused with the settings to give; the memory still answers. */
class UnconfiguredTranslationTest extends TranslationHarness {

    @Test
    void aSentenceThatNeedsAModelIsRefusedNamingTheSettingsAndTheMemoryStillAnswers() {
        TranslationServiceGrpc.TranslationServiceBlockingStub translation = TranslationServiceGrpc.newBlockingStub(as("planning"));
        assertThatThrownBy(() -> translation.translate(TranslateRequest.newBuilder().setText("ខ្ញុំទៅសាលា។").setTargetLanguage("en").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("not-configured");
                    assertThat(e.getStatus().getDescription()).contains("khmer-ai.translation.servers")
                            .contains("khmer-ai.translation.default-model");
                });

        TranslationMemoryServiceGrpc.newBlockingStub(as("planning")).putMemoryEntries(PutMemoryEntriesRequest.newBuilder()
                .setSourceLanguage("km").setTargetLanguage("en")
                .addEntries(MemoryEntry.newBuilder().setSource("ខ្ញុំទៅសាលា។").setTarget("I go to school.")).build());
        assertThat(translation.translate(TranslateRequest.newBuilder().setText("ខ្ញុំទៅសាលា។").setTargetLanguage("en").build())
                .getTranslation()).isEqualTo("I go to school.");
    }
}
