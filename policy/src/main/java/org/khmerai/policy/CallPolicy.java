package org.khmerai.policy;

import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.text.term.CanonicalText;

/**
 * What a ministry's BLOCK and MASK rules do to the text of one call: a request refused, or masked,
 * before a model reads it; an answer masked, or withheld, before the caller reads it. The rules that
 * act only on what the audit stores (FLAG, REDACT) take no part. A rule whose pattern cannot finish
 * within its budget blocks: what could not be checked is not let through.
 */
public final class CallPolicy {

    public static final CallPolicy NONE = new CallPolicy(List.of());

    private final List<CompiledRule> rules;

    /** @param rules the ministry's rules, of which only those with BLOCK or MASK are kept */
    public CallPolicy(List<CompiledRule> rules) {
        this.rules = rules.stream().filter(rule -> isEnforcedOnCalls(rule.action())).toList();
    }

    static boolean isEnforcedOnCalls(RuleAction action) {
        return action == RuleAction.RULE_ACTION_BLOCK || action == RuleAction.RULE_ACTION_MASK;
    }

    /** Whether no rule acts on calls, so that answers may pass as they come. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Why a text may not pass: the rule that matched it, or could not finish checking it. */
    public record Block(String ruleId, boolean timedOut) {

        /** Why {@code what} may not pass, in a sentence for the caller. */
        public String reason(String what) {
            return timedOut ? what + " could not be checked against the ministry's policy rule \"" + ruleId + "\" in time"
                    : what + " matches the ministry's policy rule \"" + ruleId + "\"";
        }
    }

    /** A text checked: as a model or the caller may read it (masked where a MASK rule matched), unless a rule blocks it. */
    public record Screened(String text, Optional<Block> block) {
    }

    public Screened screen(String text) {
        if (rules.isEmpty() || text.isBlank()) {
            return new Screened(text, Optional.empty());
        }
        CanonicalText canonical = CanonicalText.of(text);
        List<Span> masks = new ArrayList<>();
        for (CompiledRule rule : rules) {
            List<Span> spans;
            try {
                spans = rule.find(canonical);
            } catch (CompiledRule.OutOfTime e) {
                return new Screened("", Optional.of(new Block(rule.id(), true)));
            }
            if (!spans.isEmpty() && rule.action() == RuleAction.RULE_ACTION_BLOCK) {
                return new Screened("", Optional.of(new Block(rule.id(), false)));
            }
            masks.addAll(spans);
        }
        return new Screened(masks.isEmpty() ? text : Redaction.apply(canonical.text(), masks), Optional.empty());
    }

    /**
     * A text of a request as a model may read it.
     *
     * @param field how the caller names the text: "messages[2].content", "text"
     * @throws StatusRuntimeException FAILED_PRECONDITION ({@code blocked-by-policy}) naming the rule
     */
    public String request(String text, String field) {
        Screened screened = screen(text);
        if (screened.block().isPresent()) {
            throw blocked(screened.block().get().reason(field) + "; no model has read it");
        }
        return screened.text();
    }

    /** A screen for an answer that arrives in pieces. */
    public AnswerScreen answer() {
        return new AnswerScreen(this);
    }

    /** The error of a call this policy refuses, with why. */
    public static StatusRuntimeException blocked(String detail) {
        return GrpcErrors.exception(PlatformError.BLOCKED_BY_POLICY, detail);
    }
}
