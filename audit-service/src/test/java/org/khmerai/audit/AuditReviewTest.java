package org.khmerai.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.chain.ChainVerifier;
import org.khmerai.audit.policy.AuditPolicyGrpcService;
import org.khmerai.audit.retention.ContentRetention;
import org.khmerai.audit.review.AuditReviewGrpcService;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.AuditSettings;
import org.khmerai.audit.v1.ClaimReviewItemRequest;
import org.khmerai.audit.v1.Content;
import org.khmerai.audit.v1.ContentMode;
import org.khmerai.audit.v1.DecideReviewItemRequest;
import org.khmerai.audit.v1.DeletePolicyRuleRequest;
import org.khmerai.audit.v1.Edge;
import org.khmerai.audit.v1.GetAuditSettingsRequest;
import org.khmerai.audit.v1.GetReviewItemRequest;
import org.khmerai.audit.v1.ListPolicyRulesRequest;
import org.khmerai.audit.v1.ListReviewItemsRequest;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.ReleaseReviewItemRequest;
import org.khmerai.audit.v1.ReviewAction;
import org.khmerai.audit.v1.ReviewDecision;
import org.khmerai.audit.v1.ReviewItem;
import org.khmerai.audit.v1.ReviewState;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.audit.v1.Severity;
import org.khmerai.audit.v1.TermList;
import org.khmerai.platform.audit.AuditEvents;
import org.khmerai.platform.audit.AuditPublisher;
import org.khmerai.platform.security.Caller;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** A ministry's rules flag calls as they are stored; its reviewers, and only they, work through the queue. */
class AuditReviewTest extends AuditServiceHarness {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditPublisher publisher;
    @Autowired
    AuditPolicyGrpcService policy;
    @Autowired
    AuditReviewGrpcService reviews;
    @Autowired
    ContentRetention retention;
    @Autowired
    ChainVerifier verifier;

    @Test
    void aFlaggedCallIsReviewedByItsOwnMinistrysReviewersOnly() throws Exception {
        String tenant = "ministry-" + UUID.randomUUID();
        Caller admin = caller("adam", tenant, "admin");
        UnaryCall.ok(admin, policy::updateAuditSettings, AuditSettings.newBuilder().setContentMode(ContentMode.CONTENT_MODE_FULL).build());
        UnaryCall.ok(admin, policy::putPolicyRule, PolicyRule.newBuilder().setId("corruption").setSeverity(Severity.SEVERITY_HIGH)
                .setAction(RuleAction.RULE_ACTION_FLAG).setTerms(TermList.newBuilder().addTerms("ពុករលួយ")).build());
        UnaryCall.ok(admin, policy::putPolicyRule, PolicyRule.newBuilder().setId("phones").setSeverity(Severity.SEVERITY_LOW)
                .setAction(RuleAction.RULE_ACTION_REDACT).setPersonalData(PersonalData.PERSONAL_DATA_PHONE_NUMBER).build());

        AuditEvent flagged = event(tenant, Instant.now(), "អំពើពុករលួយ ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨");
        publisher.publish(flagged);
        publisher.publish(event(tenant, Instant.now(), "ក្រសួងអប់រំ"));
        awaitTrue(() -> count("select count(*) from audit_event where tenant = ?", tenant) == 2);

        Caller rita = caller("rita", tenant, "reviewer");
        Caller sam = caller("sam", tenant, "reviewer");
        Caller stranger = caller("olga", "ministry-" + UUID.randomUUID(), "reviewer");
        assertThat(list(rita, ListReviewItemsRequest.getDefaultInstance())).singleElement().satisfies(item -> {
            assertThat(item.getEventId()).isEqualTo(flagged.getId());
            assertThat(item.getState()).isEqualTo(ReviewState.REVIEW_STATE_OPEN);
            assertThat(item.getSeverity()).isEqualTo(Severity.SEVERITY_HIGH);
            assertThat(item.getFindingsList()).extracting(f -> f.getRuleId() + " " + f.getPart() + " " + f.getMatches())
                    .containsExactly("corruption input 1", "phones input 1");
            assertThat(item.hasEvent()).as("a listing carries no content").isFalse();
        });
        ReviewItem read = UnaryCall.ok(rita, reviews::getReviewItem, get(flagged));
        assertThat(read.getInputText()).isEqualTo("អំពើពុករលួយ ទូរស័ព្ទ [redacted:phones]");
        assertThat(read.getEvent().getInput().getText()).as("the text lives only in its column").isEmpty();

        assertThat(list(stranger, ListReviewItemsRequest.getDefaultInstance())).isEmpty();
        assertThat(UnaryCall.as(stranger, reviews::getReviewItem, get(flagged)).code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(UnaryCall.as(stranger, reviews::claimReviewItem, claim(flagged)).code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(UnaryCall.as(stranger, reviews::decideReviewItem, decide(flagged, ReviewDecision.REVIEW_DECISION_DISMISS, "mine now"))
                .code()).isEqualTo(Status.Code.NOT_FOUND);

        assertThat(UnaryCall.as(rita, reviews::decideReviewItem, decide(flagged, ReviewDecision.REVIEW_DECISION_DISMISS, "unclaimed"))
                .code()).as("decide before claiming").isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(UnaryCall.ok(rita, reviews::claimReviewItem, claim(flagged)).getClaimedBy()).isEqualTo("rita");
        assertThat(UnaryCall.ok(rita, reviews::claimReviewItem, claim(flagged)).getState()).as("claiming again changes nothing")
                .isEqualTo(ReviewState.REVIEW_STATE_CLAIMED);
        assertThat(UnaryCall.as(sam, reviews::claimReviewItem, claim(flagged)).code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(UnaryCall.as(sam, reviews::decideReviewItem, decide(flagged, ReviewDecision.REVIEW_DECISION_DISMISS, "not mine"))
                .code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(UnaryCall.as(rita, reviews::decideReviewItem, decide(flagged, ReviewDecision.REVIEW_DECISION_CONFIRM, " "))
                .code()).as("a decision says why").isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(UnaryCall.as(rita, reviews::decideReviewItem, decide(flagged, ReviewDecision.REVIEW_DECISION_UNSPECIFIED, "why"))
                .code()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        ReviewItem escalated = UnaryCall.ok(rita, reviews::decideReviewItem,
                decide(flagged, ReviewDecision.REVIEW_DECISION_ESCALATE, "a payment is named; a senior reviewer should decide"));
        assertThat(escalated.getState()).isEqualTo(ReviewState.REVIEW_STATE_ESCALATED);
        assertThat(escalated.getClaimedBy()).isEmpty();
        UnaryCall.ok(sam, reviews::claimReviewItem, claim(flagged));
        assertThat(UnaryCall.ok(sam, reviews::releaseReviewItem, ReleaseReviewItemRequest.newBuilder().setEventId(flagged.getId()).build())
                .getState()).as("released, it is escalated again").isEqualTo(ReviewState.REVIEW_STATE_ESCALATED);
        UnaryCall.ok(sam, reviews::claimReviewItem, claim(flagged));
        ReviewItem confirmed = UnaryCall.ok(sam, reviews::decideReviewItem,
                decide(flagged, ReviewDecision.REVIEW_DECISION_CONFIRM, "confirmed: a bribe"));
        assertThat(confirmed.getState()).isEqualTo(ReviewState.REVIEW_STATE_CONFIRMED);
        assertThat(confirmed.getHistoryList()).extracting(ReviewAction::getAction, ReviewAction::getReviewer).containsExactly(
                org.assertj.core.groups.Tuple.tuple("claim", "rita"), org.assertj.core.groups.Tuple.tuple("escalate", "rita"),
                org.assertj.core.groups.Tuple.tuple("claim", "sam"), org.assertj.core.groups.Tuple.tuple("release", "sam"),
                org.assertj.core.groups.Tuple.tuple("claim", "sam"), org.assertj.core.groups.Tuple.tuple("confirm", "sam"));
        assertThat(UnaryCall.as(rita, reviews::claimReviewItem, claim(flagged)).code()).as("decided").isEqualTo(Status.Code.FAILED_PRECONDITION);

        assertThat(list(rita, ListReviewItemsRequest.newBuilder().setState(ReviewState.REVIEW_STATE_CONFIRMED).build())).hasSize(1);
        assertThat(list(rita, ListReviewItemsRequest.newBuilder().setState(ReviewState.REVIEW_STATE_OPEN).build())).isEmpty();
        assertThat(list(rita, ListReviewItemsRequest.newBuilder().setRuleId("phones").build())).hasSize(1);
        assertThat(list(rita, ListReviewItemsRequest.newBuilder().setRuleId("other").build())).isEmpty();
        assertThat(list(rita, ListReviewItemsRequest.newBuilder().setMinSeverity(Severity.SEVERITY_CRITICAL).build())).isEmpty();
        assertThat(UnaryCall.as(rita, reviews::getReviewItem, GetReviewItemRequest.newBuilder().setEventId("42").build()).code())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(verifier.verify(tenant).valid()).isTrue();
    }

    @Test
    void rulesAndSettingsThatCouldNotWorkAreRefusedWhenSaved() {
        String tenant = "ministry-" + UUID.randomUUID();
        Caller admin = caller("adam", tenant, "admin");
        PolicyRule valid = PolicyRule.newBuilder().setId("ids").setSeverity(Severity.SEVERITY_MEDIUM)
                .setAction(RuleAction.RULE_ACTION_FLAG).setPersonalData(PersonalData.PERSONAL_DATA_NATIONAL_ID).build();
        for (PolicyRule invalid : List.of(valid.toBuilder().setPattern("(?<unclosed").build(),
                valid.toBuilder().setTerms(TermList.getDefaultInstance()).build(), valid.toBuilder().setId("Bad Id").build())) {
            UnaryCall<PolicyRule> refused = UnaryCall.as(admin, policy::putPolicyRule, invalid);
            assertThat(refused.code()).as(invalid.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(UnaryCall.as(admin, policy::updateAuditSettings, AuditSettings.getDefaultInstance()).code())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(UnaryCall.as(admin, policy::updateAuditSettings, AuditSettings.newBuilder()
                .setContentMode(ContentMode.CONTENT_MODE_FULL).setContentRetentionDays(-1).build()).code())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(UnaryCall.ok(admin, policy::listPolicyRules, ListPolicyRulesRequest.getDefaultInstance()).getRulesList())
                .as("nothing refused was saved").isEmpty();

        PolicyRule saved = UnaryCall.ok(admin, policy::putPolicyRule, valid);
        assertThat(saved.getUpdatedBy()).isEqualTo("adam");
        assertThat(saved.hasUpdateTime()).isTrue();
        assertThat(UnaryCall.ok(admin, policy::listPolicyRules, ListPolicyRulesRequest.getDefaultInstance()).getRulesList())
                .containsExactly(saved);
        assertThat(UnaryCall.ok(caller("other", "ministry-" + UUID.randomUUID(), "admin"), policy::listPolicyRules,
                ListPolicyRulesRequest.getDefaultInstance()).getRulesList()).as("another ministry's rules").isEmpty();
        assertThat(UnaryCall.ok(admin, policy::getAuditSettings, GetAuditSettingsRequest.getDefaultInstance()).getContentMode())
                .isEqualTo(ContentMode.CONTENT_MODE_METADATA_ONLY);
        UnaryCall.ok(admin, policy::deletePolicyRule, DeletePolicyRuleRequest.newBuilder().setId("ids").build());
        assertThat(UnaryCall.as(admin, policy::deletePolicyRule, DeletePolicyRuleRequest.newBuilder().setId("ids").build()).code())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void retentionPurgesOldTextAndTheChainStillVerifies() throws Exception {
        String tenant = "ministry-" + UUID.randomUUID();
        Caller admin = caller("adam", tenant, "admin");
        UnaryCall.ok(admin, policy::updateAuditSettings, AuditSettings.newBuilder().setContentMode(ContentMode.CONTENT_MODE_REDACTED)
                .setContentRetentionDays(2).build());
        AuditEvent old = event(tenant, Instant.now().minus(Duration.ofDays(3)), "ចាស់ sokha@example.org");
        AuditEvent recent = event(tenant, Instant.now(), "ថ្មី");
        publisher.publish(old);
        publisher.publish(recent);
        awaitTrue(() -> count("select count(*) from audit_event where tenant = ?", tenant) == 2);
        assertThat(text(old)).isEqualTo("ចាស់ [redacted:email-address]");

        assertThat(retention.purge()).isGreaterThanOrEqualTo(1);
        assertThat(text(old)).isNull();
        assertThat(text(recent)).isEqualTo("ថ្មី");
        assertThat(count("select count(*) from audit_event where id = ?::uuid and content_purged_at is not null", old.getId())).isEqualTo(1);
        assertThat(verifier.verify(tenant).firstBroken()).as("purged text keeps the chain whole").isEmpty();

        jdbc.update("update audit_event set input_text = 'ថ្មីៗ' where id = ?::uuid", recent.getId());
        assertThat(verifier.verify(tenant).firstBroken()).get().satisfies(broken -> {
            assertThat(broken.eventId()).contains(UUID.fromString(recent.getId()));
            assertThat(broken.reason()).contains("stored input text was altered");
        });
        jdbc.update("update audit_event set input_text = null where id = ?::uuid", recent.getId());
        assertThat(verifier.verify(tenant).firstBroken()).get().satisfies(broken ->
                assertThat(broken.reason()).contains("stored input text was removed"));
    }

    private List<ReviewItem> list(Caller caller, ListReviewItemsRequest request) {
        return UnaryCall.ok(caller, reviews::listReviewItems, request).getItemsList();
    }

    private String text(AuditEvent event) {
        return jdbc.queryForObject("select input_text from audit_event where id = ?::uuid", String.class, event.getId());
    }

    private long count(String sql, Object... arguments) {
        return jdbc.queryForObject(sql, Long.class, arguments);
    }

    private static GetReviewItemRequest get(AuditEvent event) {
        return GetReviewItemRequest.newBuilder().setEventId(event.getId()).build();
    }

    private static ClaimReviewItemRequest claim(AuditEvent event) {
        return ClaimReviewItemRequest.newBuilder().setEventId(event.getId()).build();
    }

    private static DecideReviewItemRequest decide(AuditEvent event, ReviewDecision decision, String note) {
        return DecideReviewItemRequest.newBuilder().setEventId(event.getId()).setDecision(decision).setNote(note).build();
    }

    private static Caller caller(String principal, String tenant, String role) {
        return new Caller(principal, tenant, "demo-cli", Set.of(role), "unused");
    }

    private static AuditEvent event(String tenant, Instant time, String text) {
        return AuditEvents.begin(time, "segmentation", Edge.EDGE_SERVICE).setTenant(tenant).setPrincipal("alice")
                .setMethod("khmer.segmentation.v1.SegmentationService/Segment").setStatus("OK")
                .setInput(Content.newBuilder().setLength(text.length()).setText(text)).build();
    }
}
