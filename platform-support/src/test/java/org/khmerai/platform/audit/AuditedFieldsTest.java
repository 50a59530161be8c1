package org.khmerai.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.v1.DecideReviewItemRequest;
import org.khmerai.audit.v1.ListReviewItemsRequest;
import org.khmerai.audit.v1.ReviewDecision;
import org.khmerai.segmentation.v1.SegmentBatchRequest;
import org.khmerai.segmentation.v1.SegmentOptions;
import org.khmerai.segmentation.v1.SegmentRequest;

/** What an audit event carries of a call's messages is what the contract marks, nothing else. */
class AuditedFieldsTest {

    @Test
    void theMarkedTextOfAMessageIsFoundAndNothingElse() {
        SegmentRequest segment = SegmentRequest.newBuilder().setText("សួស្តី").setOptions(SegmentOptions.getDefaultInstance()).build();
        assertThat(AuditedFields.TEXT.of(segment)).containsExactly("សួស្តី");
        assertThat(AuditedFields.TEXT.of(SegmentBatchRequest.newBuilder().addTexts("មួយ").addTexts("").addTexts("ពីរ").build()))
                .containsExactly("មួយ", "ពីរ");
        assertThat(AuditedFields.RESOURCE.of(segment)).isEmpty();
        assertThat(AuditedFields.TEXT.of(ListReviewItemsRequest.newBuilder().setRuleId("corruption").build())).isEmpty();
    }

    @Test
    void aReviewersDecisionNamesTheReviewedEventAsItsResourceAndKeepsTheNoteAsText() {
        DecideReviewItemRequest decide = DecideReviewItemRequest.newBuilder().setEventId("0190b8b4-0000-7000-8000-000000000001")
                .setDecision(ReviewDecision.REVIEW_DECISION_CONFIRM).setNote("a bribe is named").build();
        assertThat(AuditedFields.RESOURCE.of(decide)).containsExactly("0190b8b4-0000-7000-8000-000000000001");
        assertThat(AuditedFields.TEXT.of(decide)).containsExactly("a bribe is named");
    }

    @Test
    void aLongTextIsCutAtTheLimitAndSaysSo() {
        AuditedText text = new AuditedText("\n");
        text.add(List.of("ក".repeat(AuditedText.MAX_CODE_POINTS - 1), "ខគ"));
        assertThat(text.text()).hasSize(AuditedText.MAX_CODE_POINTS).endsWith("ក\n");
        assertThat(text.addTo(org.khmerai.audit.v1.Content.newBuilder()).getTextTruncated()).isTrue();
    }
}
