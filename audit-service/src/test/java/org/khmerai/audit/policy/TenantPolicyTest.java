package org.khmerai.audit.policy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.chain.ChainHashes;
import org.khmerai.audit.policy.TenantPolicy.Assessment;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Content;
import org.khmerai.audit.v1.ContentMode;
import org.khmerai.audit.v1.Edge;
import org.khmerai.audit.v1.Finding;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.audit.v1.Severity;
import org.khmerai.platform.audit.AuditEvents;
import org.khmerai.policy.CompiledRule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.khmerai.policy.PolicyRules.personal;
import static org.khmerai.policy.PolicyRules.terms;

/** A ministry's rules and content mode applied to a call's text, as the ingest applies them before storing. */
class TenantPolicyTest {

    @Test
    void contentModesKeepNothingRedactedTextOrFullText() {
        List<CompiledRule> rules = List.of(
                CompiledRule.of(terms("secret-project", RuleAction.RULE_ACTION_REDACT, "គម្រោងសម្ងាត់")),
                CompiledRule.of(terms("corruption", RuleAction.RULE_ACTION_FLAG, "ពុករលួយ")));
        AuditEvent event = event("គម្រោងសម្ងាត់ អំពើពុករលួយ ទូរស័ព្ទ 012 345 678");

        Assessment metadata = new TenantPolicy(ContentMode.CONTENT_MODE_METADATA_ONLY, 0, rules).assess(event);
        assertThat(metadata.inputText()).isEmpty();
        assertThat(metadata.storedEvent().getInput().getText()).as("never stored in the event").isEmpty();
        assertThat(metadata.storedEvent().getInput().getStoredTextSha256()).isEmpty();
        assertThat(metadata.flagged()).as("rules match whatever is kept").isTrue();

        Assessment redacted = new TenantPolicy(ContentMode.CONTENT_MODE_REDACTED, 0, rules).assess(event);
        assertThat(redacted.inputText()).contains("[redacted:secret-project] អំពើពុករលួយ ទូរស័ព្ទ [redacted:phone-number]");
        assertThat(redacted.storedEvent().getInput().getStoredTextSha256())
                .isEqualTo(ChainHashes.hex(ChainHashes.sha256(redacted.inputText().orElseThrow().getBytes(StandardCharsets.UTF_8))));

        Assessment full = new TenantPolicy(ContentMode.CONTENT_MODE_FULL, 0, rules).assess(event);
        assertThat(full.inputText()).contains("[redacted:secret-project] អំពើពុករលួយ ទូរស័ព្ទ 012 345 678");
        assertThat(full.findings()).extracting(Finding::getRuleId, Finding::getAction, Finding::getMatches).containsExactly(
                org.assertj.core.groups.Tuple.tuple("secret-project", RuleAction.RULE_ACTION_REDACT, 1),
                org.assertj.core.groups.Tuple.tuple("corruption", RuleAction.RULE_ACTION_FLAG, 1));
        assertThat(full.severity()).isEqualTo(Severity.SEVERITY_HIGH);
    }

    @Test
    void onlyFlaggingRulesPutACallInTheReviewQueue() {
        TenantPolicy redactOnly = new TenantPolicy(ContentMode.CONTENT_MODE_FULL, 0,
                List.of(CompiledRule.of(personal("phones", RuleAction.RULE_ACTION_REDACT, PersonalData.PERSONAL_DATA_PHONE_NUMBER))));

        Assessment assessment = redactOnly.assess(event("call 012 345 678"));
        assertThat(assessment.flagged()).isFalse();
        assertThat(assessment.inputText()).contains("call [redacted:phones]");
        assertThat(redactOnly.assess(event("")).findings()).isEmpty();
    }

    @Test
    void aBlockedCallIsReviewedAndWhatAMaskingRuleMatchesIsNotStored() {
        TenantPolicy policy = new TenantPolicy(ContentMode.CONTENT_MODE_FULL, 0, List.of(
                CompiledRule.of(terms("no-bribes", RuleAction.RULE_ACTION_BLOCK, "bribe")),
                CompiledRule.of(personal("ids", RuleAction.RULE_ACTION_MASK, PersonalData.PERSONAL_DATA_NATIONAL_ID))));

        Assessment masked = policy.assess(event("my id is 110234567"));
        assertThat(masked.flagged()).isFalse();
        assertThat(masked.inputText()).contains("my id is [redacted:ids]");

        Assessment blocked = policy.assess(event("how big a bribe?"));
        assertThat(blocked.flagged()).as("an attempt the policy refused is for a reviewer to see").isTrue();
        assertThat(blocked.severity()).isEqualTo(Severity.SEVERITY_HIGH);
    }

    @Test
    void aPatternThatBacktracksWithoutEndIsStoppedAndTheCallFlagged() {
        PolicyRule catastrophic = PolicyRule.newBuilder().setId("backtracker").setSeverity(Severity.SEVERITY_LOW)
                .setAction(RuleAction.RULE_ACTION_REDACT).setPattern("(a+)+$").build();
        TenantPolicy policy = new TenantPolicy(ContentMode.CONTENT_MODE_FULL, 0, List.of(CompiledRule.of(catastrophic)));

        long start = System.nanoTime();
        Assessment assessment = policy.assess(event("a".repeat(5_000) + "!"));
        assertThat(System.nanoTime() - start).as("stopped by its budget").isLessThan(2_000_000_000L);
        assertThat(assessment.findings()).singleElement().satisfies(finding -> assertThat(finding.getTimedOut()).isTrue());
        assertThat(assessment.flagged()).isTrue();
    }

    private static AuditEvent event(String text) {
        return AuditEvents.begin(Instant.now(), "segmentation", Edge.EDGE_SERVICE).setTenant("education")
                .setInput(Content.newBuilder().setLength(text.length()).setText(text)).build();
    }
}
