package org.khmerai.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.khmerai.policy.PolicyRules.personal;
import static org.khmerai.policy.PolicyRules.terms;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.v1.PersonalData;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.audit.v1.TermList;
import org.khmerai.text.term.CanonicalText;

/** What a ministry's rules match, and which rules are refused when saved. */
class CompiledRuleTest {

    @Test
    void khmerTermsMatchWholeWordsAndPartsOfCompoundsButNeverInsideAWord() {
        CompiledRule corruption = CompiledRule.of(terms("corruption", RuleAction.RULE_ACTION_FLAG, "ពុករលួយ", "សួង", "ក្រ"));

        assertThat(spans(corruption, "គាត់និយាយអំពីអំពើពុករលួយនៅក្នុងក្រសួង។")).extracting(Span::start, Span::end)
                .as("ពុករលួយ is a word of the compound អំពើពុករលួយ; សួង and ក្រ are only inside ក្រសួង")
                .containsExactly(org.assertj.core.groups.Tuple.tuple(17, 24));
        assertThat(spans(corruption, "ក្រសួងសុខាភិបាល")).as("ក្រ and សួង inside ក្រសួង").isEmpty();
    }

    @Test
    void aKhmerTermTypedWithItsMarksMisOrderedStillMatches() {
        // ខ្មែរ with the vowel sign typed before the subscript ម: the same word, typed as people do
        String misOrdered = "ខ" + "\u17C2" + "\u17D2\u1798" + "រ";
        CompiledRule khmer = CompiledRule.of(terms("khmer", RuleAction.RULE_ACTION_FLAG, "ខ្មែរ"));

        assertThat(CanonicalText.canonical(misOrdered)).isEqualTo("ខ្មែរ");
        assertThat(spans(khmer, "ភាសា" + misOrdered + "។")).hasSize(1);
    }

    @Test
    void englishTermsMatchWholeWordsInAnyCase() {
        CompiledRule bribe = CompiledRule.of(terms("bribe", RuleAction.RULE_ACTION_FLAG, "bribe", "cash payment"));

        assertThat(spans(bribe, "He offered a Bribe and a CASH PAYMENT.")).hasSize(2);
        assertThat(spans(bribe, "bribery and cash payments")).isEmpty();
    }

    @Test
    void cambodianPhoneNumbersAreFoundInAsciiAndKhmerDigits() {
        CompiledRule phones = CompiledRule.of(personal("phones", RuleAction.RULE_ACTION_FLAG, PersonalData.PERSONAL_DATA_PHONE_NUMBER));

        for (String phone : List.of("+855 12 345 678", "+85512345678", "855-97-123-4567", "(+855) (0)23 123 456", "012 345 678",
                "097 123 4567", "(023) 123-456", "០១២ ៣៤៥ ៦៧៨", "+៨៥៥ ៩៧ ១២៣ ៤៥៦៧", "០៩៧១២៣៤៥៦៧")) {
            assertThat(spans(phones, "សូមទូរស័ព្ទមក " + phone + " ថ្ងៃស្អែក")).as(phone).singleElement()
                    .satisfies(span -> assertThat(span.end() - span.start()).isEqualTo(phone.length()));
        }
        for (String notPhone : List.of("12345", "2026-11-23", "123456789012", "ឆ្នាំ ២០២៦", "1.5 million")) {
            assertThat(spans(phones, "លេខ " + notPhone + " ។")).as(notPhone).isEmpty();
        }
    }

    @Test
    void nationalIdNumbersAndEmailAddressesAreFound() {
        CompiledRule ids = CompiledRule.of(personal("ids", RuleAction.RULE_ACTION_FLAG, PersonalData.PERSONAL_DATA_NATIONAL_ID));
        CompiledRule emails = CompiledRule.of(personal("emails", RuleAction.RULE_ACTION_FLAG, PersonalData.PERSONAL_DATA_EMAIL_ADDRESS));

        assertThat(spans(ids, "អត្តសញ្ញាណប័ណ្ណលេខ 110234567 ")).hasSize(1);
        assertThat(spans(ids, "អត្តសញ្ញាណប័ណ្ណលេខ ១១០២៣៤៥៦៧(៨)")).singleElement()
                .satisfies(span -> assertThat(span.end() - span.start()).isEqualTo(12));
        assertThat(spans(ids, "1102345678901 and 12345678 and 3.110234567")).isEmpty();
        assertThat(spans(emails, "ផ្ញើទៅ sokha.chan@moeys.gov.kh ឬ info@mef.gov.kh.")).extracting(Span::end)
                .hasSize(2);
        assertThat(spans(emails, "not@an address and @twitter")).isEmpty();
    }

    @Test
    void rulesThatCouldNotBeMatchedAreRefusedWhenSaved() {
        PolicyRule valid = terms("fine", RuleAction.RULE_ACTION_FLAG, "ពុករលួយ");
        assertThat(CompiledRule.of(valid).id()).isEqualTo("fine");
        for (PolicyRule invalid : List.of(
                valid.toBuilder().setId("Not An Id").build(),
                valid.toBuilder().setId("").build(),
                valid.toBuilder().clearSeverity().build(),
                valid.toBuilder().clearAction().build(),
                valid.toBuilder().clearTerms().build(),
                valid.toBuilder().setTerms(TermList.newBuilder()).build(),
                valid.toBuilder().setTerms(TermList.newBuilder().addTerms("ok").addTerms("  ")).build(),
                valid.toBuilder().setPattern("([unclosed").build(),
                valid.toBuilder().setPattern("x*").build(),
                valid.toBuilder().setPattern("").build(),
                valid.toBuilder().setPersonalData(PersonalData.PERSONAL_DATA_UNSPECIFIED).build())) {
            assertThatThrownBy(() -> CompiledRule.of(invalid)).as(invalid.toString())
                    .isInstanceOf(CompiledRule.InvalidRuleException.class);
        }
        assertThatThrownBy(() -> CompiledRule.of(valid.toBuilder().setPattern("([unclosed").build()))
                .hasMessageContaining("not a valid regular expression");
    }

    private static List<Span> spans(CompiledRule rule, String text) {
        return rule.find(CanonicalText.of(text));
    }
}
