package org.khmerai.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.khmerai.audit.v1.ListAuditEventsRequest;
import org.khmerai.segmentation.v1.SegmentRequest;
import org.khmerai.segmentation.v1.Word;

class JsonTranscodingTest {

    @Test
    void queryParametersBecomeTypedFieldsByTheirJsonOrProtoNames() throws Exception {
        DynamicMessage message = JsonTranscoding.parse(ListAuditEventsRequest.getDescriptor(), "", Map.of(
                "pageSize", List.of("25"),
                "page_token", List.of("abc"),
                "from", List.of("2026-11-23T08:00:00Z"),
                "status", List.of("PERMISSION_DENIED"))).message();
        ListAuditEventsRequest request = ListAuditEventsRequest.parseFrom(message.toByteArray());
        assertThat(request.getPageSize()).isEqualTo(25);
        assertThat(request.getPageToken()).isEqualTo("abc");
        assertThat(request.getFrom().getSeconds()).isEqualTo(1_795_420_800L);
        assertThat(request.getStatus()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void unknownParametersAndBadValuesAreRefused() {
        assertThatThrownBy(() -> JsonTranscoding.parse(ListAuditEventsRequest.getDescriptor(), "",
                Map.of("colour", List.of("red")))).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> JsonTranscoding.parse(ListAuditEventsRequest.getDescriptor(), "",
                Map.of("pageSize", List.of("many")))).isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void bodiesMustBeObjectsOfTheRequestType() {
        for (String json : List.of("[1]", "\"text\"", "{\"text\": ", "{\"text\": 42}", "{\"colour\": \"red\"}")) {
            assertThatThrownBy(() -> JsonTranscoding.parse(SegmentRequest.getDescriptor(), json, Map.of()))
                    .as(json).isInstanceOf(InvalidProtocolBufferException.class);
        }
    }

    @Test
    void requiredFieldsMustBePresentEvenWhenEmpty() throws Exception {
        assertThat(JsonTranscoding.parse(SegmentRequest.getDescriptor(), "{}", Map.of()).missingRequiredFields())
                .containsExactly("text");
        assertThat(JsonTranscoding.parse(SegmentRequest.getDescriptor(), "{\"text\": \"\"}", Map.of()).missingRequiredFields())
                .isEmpty();
    }

    @Test
    void responsesPrintEveryFieldSoThatOffsetZeroIsThere() throws Exception {
        DynamicMessage word = DynamicMessage.parseFrom(Word.getDescriptor(),
                Word.newBuilder().setText("ទឹក").setEnd(3).build().toByteArray());
        assertThat(JsonTranscoding.print(word)).contains("\"start\":0").contains("\"end\":3");
    }
}
