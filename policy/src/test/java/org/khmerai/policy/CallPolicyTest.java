package org.khmerai.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.khmerai.policy.PolicyRules.callPolicy;
import static org.khmerai.policy.PolicyRules.pattern;
import static org.khmerai.policy.PolicyRules.personal;
import static org.khmerai.policy.PolicyRules.terms;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;

/** A ministry's BLOCK and MASK rules on the text of a call: the request before a model reads it, the answer as it streams. */
class CallPolicyTest {

    private final CallPolicy policy = callPolicy(
            terms("no-bribes", RuleAction.RULE_ACTION_BLOCK, "សំណូក", "bribe"),
            personal("phones", RuleAction.RULE_ACTION_MASK, PersonalData.PERSONAL_DATA_PHONE_NUMBER),
            terms("flag-only", RuleAction.RULE_ACTION_FLAG, "ពន្ធ"),
            terms("stored-only", RuleAction.RULE_ACTION_REDACT, "ពន្ធដារ"));

    @Test
    void aRequestThatMatchesABlockingRuleIsRefusedNamingTheRuleAndTheField() {
        assertThatThrownBy(() -> policy.request("តើខ្ញុំគួរផ្ដល់សំណូកប៉ុន្មាន?", "messages[1].content"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, refused -> {
                    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(GrpcErrors.errorOf(refused.getStatus(), refused.getTrailers())).isEqualTo(PlatformError.BLOCKED_BY_POLICY);
                    assertThat(refused.getStatus().getDescription()).contains("messages[1].content", "\"no-bribes\"", "no model has read it");
                });
    }

    @Test
    void whatAMaskingRuleMatchesIsReplacedAndRulesForStorageOnlyDoNothingHere() {
        assertThat(policy.request("សូមទូរស័ព្ទមកលេខ 012 345 678 អំពីពន្ធដារ", "text"))
                .isEqualTo("សូមទូរស័ព្ទមកលេខ [redacted:phones] អំពីពន្ធដារ");
        String untouched = "Bribery is a word, not the term; ពន្ធ is only flagged.";
        assertThat(policy.request(untouched, "text")).isSameAs(untouched);
        assertThat(CallPolicy.NONE.request("a bribe", "text")).isEqualTo("a bribe");
    }

    @Test
    void aPatternThatCannotFinishInTimeBlocks() {
        CallPolicy backtracking = callPolicy(pattern("backtracker", RuleAction.RULE_ACTION_MASK, "(a+)+$"));

        assertThatThrownBy(() -> backtracking.request("a".repeat(5_000) + "!", "text"))
                .hasMessageContaining("could not be checked against the ministry's policy rule \"backtracker\" in time");
    }

    @Test
    void anAnswerIsPassedOnASentenceAtATimeMaskedAndStopsBeforeTheFirstBlockedSentence() {
        String answer = "ទូរស័ព្ទមក 012 345 678 បាន។ នេះជាព័ត៌មាន។ ប៉ុន្តែសំណូកគឺខុសច្បាប់។ ប្រយោគចុងក្រោយ។";
        AnswerScreen screen = policy.answer();
        List<String> passed = new ArrayList<>();
        for (int i = 0; i < answer.length(); i += 3) {
            String piece = screen.next(answer.substring(i, Math.min(answer.length(), i + 3)));
            if (!piece.isEmpty()) {
                passed.add(piece);
            }
        }
        passed.add(screen.finish());

        assertThat(String.join("", passed)).isEqualTo("ទូរស័ព្ទមក [redacted:phones] បាន។ នេះជាព័ត៌មាន។ ");
        assertThat(passed.getFirst()).as("the first sentence, once the second had begun").isEqualTo("ទូរស័ព្ទមក [redacted:phones] បាន។ ");
        assertThat(screen.block()).contains(new CallPolicy.Block("no-bribes", false));
        assertThat(screen.next(" more")).as("nothing after the block").isEmpty();
    }

    @Test
    void anAnswerThatEndsWithoutASentenceEndIsPassedOnWhenTheModelFinishes() {
        AnswerScreen screen = policy.answer();

        assertThat(screen.next("Call 012 345")).isEmpty();
        assertThat(screen.next(" 678 today")).isEmpty();
        assertThat(screen.finish()).isEqualTo("Call [redacted:phones] today");
        assertThat(screen.block()).isEmpty();
    }

    @Test
    void withNoRuleActingOnCallsEachPiecePassesAtOnce() {
        AnswerScreen screen = callPolicy(terms("flag-only", RuleAction.RULE_ACTION_FLAG, "bribe")).answer();

        assertThat(screen.next("a bri")).isEqualTo("a bri");
        assertThat(screen.next("be")).isEqualTo("be");
        assertThat(screen.finish()).isEmpty();
    }
}
