package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void aValueHoldingAPlaceOrADollarIsTheCallersTextLeftAsItIs() {
        assertThat(PromptTemplate.fill("<2{target}> {text}", Map.of("target", "en", "text", "{target} $1 ១២")))
                .isEqualTo("<2en> {target} $1 ១២");
    }

    @Test
    void bracesAroundAnythingButANameAreThePromptsOwnText() {
        String template = "Answer as JSON: {\"answer\": \"...\"}; {text} (unclosed {brace; {2x}";

        assertThat(PromptTemplate.places(template)).containsExactly("text");
        assertThat(PromptTemplate.fill(template, Map.of("text", "ក"))).isEqualTo("Answer as JSON: {\"answer\": \"...\"}; ក (unclosed {brace; {2x}");
    }

    @Test
    void aPlaceWithoutAValueIsNamed() {
        assertThatThrownBy(() -> PromptTemplate.fill("{date}: {text}", Map.of("text", "ក")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[date]").hasMessageContaining("[text]");
    }
}
