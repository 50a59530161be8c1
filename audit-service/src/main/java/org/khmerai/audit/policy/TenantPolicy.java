package org.khmerai.audit.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.khmerai.audit.chain.ChainHashes;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Content;
import org.khmerai.audit.v1.ContentMode;
import org.khmerai.audit.v1.Finding;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.audit.v1.Severity;
import org.khmerai.policy.CompiledRule;
import org.khmerai.policy.PersonalDataDetector;
import org.khmerai.policy.Redaction;
import org.khmerai.policy.Span;
import org.khmerai.text.term.CanonicalText;

/**
 * What one ministry's audit keeps of a call and what it flags: its content mode and its rules,
 * applied to each of its events before the event is stored.
 */
public record TenantPolicy(ContentMode contentMode, int retentionDays, List<CompiledRule> rules) {

    /** A ministry that has chosen nothing: sizes and hashes only, no rules. */
    public static final TenantPolicy DEFAULT = new TenantPolicy(ContentMode.CONTENT_MODE_METADATA_ONLY, 0, List.of());

    /**
     * What is stored of a call: the event without the text it carried (what text is kept is in the
     * columns, and its hash in the event), and the rules' findings.
     */
    public record Assessment(AuditEvent storedEvent, Optional<String> inputText, Optional<String> outputText,
                             List<Finding> findings) {

        /** Whether the call enters the review queue: a flagging or blocking rule matched, or a rule could not finish. */
        public boolean flagged() {
            return findings.stream().anyMatch(Assessment::flags);
        }

        /** The worst severity among the findings that flag the call. */
        public Severity severity() {
            return findings.stream().filter(Assessment::flags).map(Finding::getSeverity)
                    .max(Comparator.comparingInt(Severity::getNumber)).orElse(Severity.SEVERITY_UNSPECIFIED);
        }

        private static boolean flags(Finding finding) {
            return finding.getAction() == RuleAction.RULE_ACTION_FLAG || finding.getAction() == RuleAction.RULE_ACTION_BLOCK
                    || finding.getTimedOut();
        }
    }

    public Assessment assess(AuditEvent event) {
        if (!event.getInput().getText().isEmpty() || !event.getOutput().getText().isEmpty()) {
            AuditEvent.Builder stored = event.toBuilder();
            List<Finding> findings = new ArrayList<>();
            Optional<String> input = part("input", event.getInput(), stored.getInputBuilder(), findings);
            Optional<String> output = part("output", event.getOutput(), stored.getOutputBuilder(), findings);
            if (!event.hasOutput()) {
                stored.clearOutput();
            }
            return new Assessment(stored.build(), input, output, List.copyOf(findings));
        }
        return new Assessment(event, Optional.empty(), Optional.empty(), List.of());
    }

    private Optional<String> part(String name, Content content, Content.Builder stored, List<Finding> findings) {
        stored.clearText();
        if (content.getText().isEmpty()) {
            return Optional.empty();
        }
        CanonicalText text = CanonicalText.of(content.getText());
        List<Span> redactions = new ArrayList<>();
        for (CompiledRule rule : rules) {
            try {
                List<Span> spans = rule.find(text);
                if (!spans.isEmpty()) {
                    findings.add(finding(rule, name).setMatches(spans.size()).build());
                    if (rule.action() == RuleAction.RULE_ACTION_REDACT || rule.action() == RuleAction.RULE_ACTION_MASK) {
                        redactions.addAll(spans);
                    }
                }
            } catch (CompiledRule.OutOfTime e) {
                findings.add(finding(rule, name).setTimedOut(true).build());
            }
        }
        if (contentMode != ContentMode.CONTENT_MODE_REDACTED && contentMode != ContentMode.CONTENT_MODE_FULL) {
            return Optional.empty();
        }
        if (contentMode == ContentMode.CONTENT_MODE_REDACTED) {
            for (PersonalDataDetector detector : PersonalDataDetector.values()) {
                redactions.addAll(detector.find(text, detector.label()));
            }
        }
        String kept = redactions.isEmpty() ? content.getText() : Redaction.apply(text.text(), redactions);
        stored.setStoredTextSha256(ChainHashes.hex(ChainHashes.sha256(kept.getBytes(StandardCharsets.UTF_8))));
        return Optional.of(kept);
    }

    private static Finding.Builder finding(CompiledRule rule, String part) {
        return Finding.newBuilder().setRuleId(rule.id()).setSeverity(rule.rule().getSeverity())
                .setAction(rule.rule().getAction()).setPart(part);
    }
}
