package org.khmerai.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.segmentation.v1.Granularity;
import org.khmerai.segmentation.v1.NormalizeRequest;
import org.khmerai.segmentation.v1.NormalizeResponse;
import org.khmerai.segmentation.v1.RepairKind;
import org.khmerai.segmentation.v1.SegmentBatchRequest;
import org.khmerai.segmentation.v1.SegmentOptions;
import org.khmerai.segmentation.v1.SegmentRequest;
import org.khmerai.segmentation.v1.SegmentResponse;
import org.khmerai.segmentation.v1.SegmentationServiceGrpc;
import org.khmerai.segmentation.v1.TokenKind;
import org.khmerai.segmentation.v1.Word;

/** The service over a real gRPC channel (in-process); tokens and audit are covered end to end in local-stack. */
class SegmentationGrpcServiceTest extends ServiceHarness {

    private SegmentationServiceGrpc.SegmentationServiceBlockingStub segmentation;

    @BeforeEach
    void stub() {
        segmentation = SegmentationServiceGrpc.newBlockingStub(as("segmentation-test-ministry"));
    }

    @Test
    void segmentsKhmerWithOffsetsIntoTheInput() {
        // "I love Cambodia" with a Latin word and the Khmer full stop
        String text = "ខ្ញុំស្រឡាញ់កម្ពុជា OK។";
        SegmentResponse response = segmentation.segment(SegmentRequest.newBuilder().setText(text).build());
        assertThat(response.getWordsList()).extracting(Word::getText)
                .containsExactly("ខ្ញុំ", "ស្រឡាញ់", "កម្ពុជា", "OK", "។");
        for (Word word : response.getWordsList()) {
            assertThat(text.substring(word.getStart(), word.getEnd())).isEqualTo(word.getText());
        }
        assertThat(response.getWords(4).getKind()).isEqualTo(TokenKind.TOKEN_KIND_PUNCTUATION);
        assertThat(response.getEngine()).isEqualTo("khmer-ai-coarse-khpos-chea");
    }

    @Test
    void emptyTextHasNoWords() {
        assertThat(segmentation.segment(SegmentRequest.newBuilder().setText("").build()).getWordsCount()).isZero();
    }

    @Test
    void batchAnswersInOrder() {
        // "water", "rice"
        var response = segmentation.segmentBatch(SegmentBatchRequest.newBuilder().addTexts("ទឹក").addTexts("បាយ").build());
        assertThat(response.getResultsList()).extracting(r -> r.getWords(0).getText()).containsExactly("ទឹក", "បាយ");
    }

    @Test
    void tooLongTextIsInvalidArgument() {
        String text = "ក".repeat(SegmentationGrpcService.MAX_TEXT_CHARS + 1);
        assertThatThrownBy(() -> segmentation.segment(SegmentRequest.newBuilder().setText(text).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("invalid-argument");
                });
    }

    @Test
    void tooLargeBatchIsInvalidArgument() {
        var batch = SegmentBatchRequest.newBuilder();
        for (int i = 0; i <= SegmentationGrpcService.MAX_BATCH_TEXTS; i++) {
            batch.addTexts("ទឹក");
        }
        assertThatThrownBy(() -> segmentation.segmentBatch(batch.build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void fineGranularitySplitsCompoundsThatCoarseKeepsWhole() {
        // "Mrs" (lok srei), one word in the coarse convention, prefix + word in the fine one
        String text = "លោកស្រី";
        SegmentResponse coarse = segmentation.segment(SegmentRequest.newBuilder().setText(text).build());
        SegmentResponse fine = segmentation.segment(SegmentRequest.newBuilder().setText(text)
                .setOptions(SegmentOptions.newBuilder().setGranularity(Granularity.GRANULARITY_FINE)).build());
        assertThat(coarse.getWordsList()).extracting(Word::getText).containsExactly("លោកស្រី");
        assertThat(fine.getWordsList()).extracting(Word::getText).containsExactly("លោក", "ស្រី");
        assertThat(fine.getEngine()).isEqualTo("khmer-ai-fine-khpos-chea");
    }

    @Test
    void normalizeReportsWhetherItChangedTheText() {
        assertThat(segmentation.normalize(NormalizeRequest.newBuilder().setText("cafe\u0301").build()).getChanged()).isTrue();
        assertThat(segmentation.normalize(NormalizeRequest.newBuilder().setText("ទឹក").build()).getChanged()).isFalse();
        // "water" (ទឹក) typed with the vowel twice, after a space: one repair, offsets into what was sent
        NormalizeResponse repaired = segmentation.normalize(NormalizeRequest.newBuilder().setText(" ទឹ\u17B9ក").build());
        assertThat(repaired.getText()).isEqualTo(" ទឹក");
        assertThat(repaired.getRepairsList()).singleElement().satisfies(repair -> {
            assertThat(repair.getKind()).isEqualTo(RepairKind.REPAIR_KIND_KHMER_SPELLING);
            assertThat(repair.getStart()).isEqualTo(1);
            assertThat(repair.getEnd()).isEqualTo(4);
            assertThat(repair.getReplacement()).isEqualTo("ទឹ");
        });
    }
}
