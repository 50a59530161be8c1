package org.khmerai.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelServerTest {

    @Test
    void aServersUrlIsHttpOrHttpsAndNamesAHost() {
        for (String url : List.of("ftp://gpu-1:8000", "gpu-1:8000", "http:///v1", "file:/models")) {
            assertThatThrownBy(() -> new ModelServer("sealion", "gpu-1", URI.create(url), "sea-lion-v3", null, List.of())).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpu-1").hasMessageContaining(url);
        }

        ModelServer behindAPath = new ModelServer("sealion", "gpu-1", URI.create("HTTPS://models.moeys.gov.kh/sealion/"), "sea-lion-v3",
                null, List.of());
        assertThat(behindAPath.chatCompletions()).hasToString("HTTPS://models.moeys.gov.kh/sealion/v1/chat/completions");
        assertThat(new ModelServer("sealion", "gpu-1", URI.create("http://10.0.0.7:8000"), "sea-lion-v3", null, List.of()).models())
                .hasToString("http://10.0.0.7:8000/v1/models");
    }
}
