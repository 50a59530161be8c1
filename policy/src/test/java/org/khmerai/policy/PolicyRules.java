package org.khmerai.policy;

import java.util.List;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.audit.v1.Severity;
import org.khmerai.audit.v1.TermList;

/** Rules as a ministry's administrator would write them, for tests. */
public final class PolicyRules {

    private PolicyRules() {
    }

    public static PolicyRule terms(String id, RuleAction action, String... terms) {
        return PolicyRule.newBuilder().setId(id).setSeverity(Severity.SEVERITY_HIGH).setAction(action)
                .setTerms(TermList.newBuilder().addAllTerms(List.of(terms))).build();
    }

    public static PolicyRule personal(String id, RuleAction action, PersonalData kind) {
        return PolicyRule.newBuilder().setId(id).setSeverity(Severity.SEVERITY_MEDIUM).setAction(action).setPersonalData(kind).build();
    }

    public static PolicyRule pattern(String id, RuleAction action, String pattern) {
        return PolicyRule.newBuilder().setId(id).setSeverity(Severity.SEVERITY_LOW).setAction(action).setPattern(pattern).build();
    }

    /** The call policy of these rules. */
    public static CallPolicy callPolicy(PolicyRule... rules) {
        return new CallPolicy(List.of(rules).stream().map(CompiledRule::of).toList());
    }
}
