package org.khmerai.text.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KhmerNormalizerTest {

    private final KhmerNormalizer normalizer = new KhmerNormalizer();

    @Test
    void composesDecomposedCharactersAndSaysSo() {
        // "café" typed with a combining acute accent, inside Khmer "coffee shop" text
        KhmerNormalizer.Normalized result = normalizer.normalize("ហាង cafe\u0301");
        assertThat(result.text()).isEqualTo("ហាង caf\u00E9");
        assertThat(result.changed()).isTrue();
    }

    @Test
    void leavesCanonicalTextAlone() {
        // "Cambodia"
        assertThat(normalizer.normalize("កម្ពុជា").changed()).isFalse();
    }
}
