package org.khmerai.policy;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.audit.v1.Severity;
import org.khmerai.text.term.CanonicalText;
import org.khmerai.text.term.TermMatcher;

/**
 * A ministry's policy rule, checked and made ready to match. Everything that could make a rule fail
 * at match time is refused here, when the rule is saved.
 */
public final class CompiledRule {

    static final int MAX_TERMS = 1_000;
    static final int MAX_TERM_LENGTH = 200;
    static final int MAX_PATTERN_LENGTH = 1_000;
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private final PolicyRule rule;
    private final Matching matching;

    private CompiledRule(PolicyRule rule, Matching matching) {
        this.rule = rule;
        this.matching = matching;
    }

    /** How a rule finds its spans in a text. */
    @FunctionalInterface
    interface Matching {
        List<Span> find(CanonicalText text, String label);
    }

    /**
     * @throws InvalidRuleException saying what is wrong with the rule
     */
    public static CompiledRule of(PolicyRule rule) {
        if (!ID.matcher(rule.getId()).matches()) {
            throw new InvalidRuleException("id must be 1 to 64 of a-z, 0-9 and '-', starting with a letter; got \"" + rule.getId() + "\"");
        }
        if (rule.getSeverity() == Severity.SEVERITY_UNSPECIFIED || rule.getSeverity() == Severity.UNRECOGNIZED) {
            throw new InvalidRuleException("rule " + rule.getId() + ": severity is required (LOW, MEDIUM, HIGH or CRITICAL)");
        }
        if (rule.getAction() == RuleAction.RULE_ACTION_UNSPECIFIED || rule.getAction() == RuleAction.UNRECOGNIZED) {
            throw new InvalidRuleException("rule " + rule.getId() + ": action is required (FLAG, REDACT, BLOCK or MASK)");
        }
        return new CompiledRule(rule, switch (rule.getMatchCase()) {
            case TERMS -> terms(rule);
            case PATTERN -> pattern(rule);
            case PERSONAL_DATA -> personalData(rule);
            case MATCH_NOT_SET -> throw new InvalidRuleException("rule " + rule.getId()
                    + ": say what it matches: terms, pattern or personal_data");
        });
    }

    private static Matching terms(PolicyRule rule) {
        List<String> terms = rule.getTerms().getTermsList();
        if (terms.isEmpty() || terms.size() > MAX_TERMS) {
            throw new InvalidRuleException("rule " + rule.getId() + ": a term list has 1 to " + MAX_TERMS + " terms; got " + terms.size());
        }
        for (String term : terms) {
            if (term.isBlank() || term.length() > MAX_TERM_LENGTH) {
                throw new InvalidRuleException("rule " + rule.getId() + ": each term has 1 to " + MAX_TERM_LENGTH
                        + " characters besides spaces at its ends; got \"" + term + "\"");
            }
        }
        TermMatcher matcher = new TermMatcher(terms);
        return (text, label) -> matcher.find(text).stream().map(match -> new Span(match.start(), match.end(), label)).toList();
    }

    private static Matching pattern(PolicyRule rule) {
        String source = rule.getPattern();
        if (source.isEmpty() || source.length() > MAX_PATTERN_LENGTH) {
            throw new InvalidRuleException("rule " + rule.getId() + ": a pattern has 1 to " + MAX_PATTERN_LENGTH + " characters");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(source);
        } catch (PatternSyntaxException e) {
            throw new InvalidRuleException("rule " + rule.getId() + ": the pattern is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
        if (pattern.matcher("").find()) {
            throw new InvalidRuleException("rule " + rule.getId() + ": the pattern matches the empty text, so it would match everywhere");
        }
        return new PatternMatching(pattern)::find;
    }

    private static Matching personalData(PolicyRule rule) {
        if (rule.getPersonalData() == PersonalData.PERSONAL_DATA_UNSPECIFIED || rule.getPersonalData() == PersonalData.UNRECOGNIZED) {
            throw new InvalidRuleException("rule " + rule.getId() + ": personal_data must be PHONE_NUMBER, NATIONAL_ID or EMAIL_ADDRESS");
        }
        return PersonalDataDetector.of(rule.getPersonalData())::find;
    }

    public PolicyRule rule() {
        return rule;
    }

    public String id() {
        return rule.getId();
    }

    public RuleAction action() {
        return rule.getAction();
    }

    /**
     * Where the rule matches, each span labelled with the rule's id.
     *
     * @throws OutOfTime when the rule's regular expression runs past its budget on this text
     */
    public List<Span> find(CanonicalText text) {
        return matching.find(text, rule.getId());
    }

    /** Thrown when a rule's regular expression has used its time budget on one text: a backtracking pattern. */
    public static final class OutOfTime extends RuntimeException {
        OutOfTime() {
            super("the pattern ran out of time", null, false, false);
        }
    }

    /** A rule that cannot be saved, with the reason for the caller. */
    public static final class InvalidRuleException extends IllegalArgumentException {
        InvalidRuleException(String message) {
            super(message);
        }
    }
}
