package org.khmerai.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.khmerai.platform.security.PlatformContracts;
import org.springframework.http.HttpMethod;

class RestRouteTest {

    private final List<RestRoute> routes = RestRoute.of(PlatformContracts.services());

    @Test
    void everyHttpAnnotationOfTheContractsIsARoute() {
        assertThat(routes).extracting(route -> route.verb() + " " + route.path() + " -> " + route.fullMethodName())
                .containsExactlyInAnyOrder(
                        "POST /api/v1/segment -> khmer.segmentation.v1.SegmentationService/Segment",
                        "POST /api/v1/segment:batch -> khmer.segmentation.v1.SegmentationService/SegmentBatch",
                        "POST /api/v1/normalize -> khmer.segmentation.v1.SegmentationService/Normalize",
                        "POST /api/v1/chat -> khmer.llm.v1.ChatService/Chat",
                        "POST /api/v1/chat -> khmer.llm.v1.ChatService/StreamChat",
                        "POST /api/v1/translate -> khmer.translation.v1.TranslationService/Translate",
                        "POST /api/v1/translate:batch -> khmer.translation.v1.TranslationService/TranslateBatch",
                        "GET /api/v1/translation/glossary -> khmer.translation.v1.GlossaryService/ListGlossaryTerms",
                        "POST /api/v1/translation/glossary:batchPut -> khmer.translation.v1.GlossaryService/PutGlossaryTerms",
                        "POST /api/v1/translation/glossary:batchRemove -> khmer.translation.v1.GlossaryService/RemoveGlossaryTerms",
                        "GET /api/v1/translation/memory -> khmer.translation.v1.TranslationMemoryService/ListMemoryEntries",
                        "POST /api/v1/translation/memory:batchPut -> khmer.translation.v1.TranslationMemoryService/PutMemoryEntries",
                        "POST /api/v1/translation/memory:batchRemove -> khmer.translation.v1.TranslationMemoryService/RemoveMemoryEntries",
                        "GET /api/v1/translation/memory/proposals -> khmer.translation.v1.TranslationMemoryService/ListMemoryProposals",
                        "POST /api/v1/translation/memory/proposals:approve -> khmer.translation.v1.TranslationMemoryService/ApproveMemoryProposals",
                        "POST /api/v1/translation/memory/proposals:batchRemove -> khmer.translation.v1.TranslationMemoryService/RemoveMemoryProposals",
                        "GET /api/v1/dictionary/terms -> khmer.segmentation.v1.UserDictionaryService/ListDictionaryTerms",
                        "POST /api/v1/dictionary/terms:batchAdd -> khmer.segmentation.v1.UserDictionaryService/AddDictionaryTerms",
                        "POST /api/v1/dictionary/terms:batchRemove -> khmer.segmentation.v1.UserDictionaryService/RemoveDictionaryTerms",
                        "GET /api/v1/audit/events -> khmer.audit.v1.AuditQueryService/ListAuditEvents",
                        "GET /api/v1/audit/chain:verify -> khmer.audit.v1.AuditIntegrityService/VerifyAuditChain",
                        "GET /api/v1/audit/settings -> khmer.audit.v1.AuditPolicyService/GetAuditSettings",
                        "PUT /api/v1/audit/settings -> khmer.audit.v1.AuditPolicyService/UpdateAuditSettings",
                        "GET /api/v1/audit/rules -> khmer.audit.v1.AuditPolicyService/ListPolicyRules",
                        "PUT /api/v1/audit/rules/{id} -> khmer.audit.v1.AuditPolicyService/PutPolicyRule",
                        "DELETE /api/v1/audit/rules/{id} -> khmer.audit.v1.AuditPolicyService/DeletePolicyRule",
                        "GET /api/v1/audit/reviews -> khmer.audit.v1.AuditReviewService/ListReviewItems",
                        "GET /api/v1/audit/reviews/{event_id} -> khmer.audit.v1.AuditReviewService/GetReviewItem",
                        "POST /api/v1/audit/reviews/{event_id}:claim -> khmer.audit.v1.AuditReviewService/ClaimReviewItem",
                        "POST /api/v1/audit/reviews/{event_id}:release -> khmer.audit.v1.AuditReviewService/ReleaseReviewItem",
                        "POST /api/v1/audit/reviews/{event_id}:decide -> khmer.audit.v1.AuditReviewService/DecideReviewItem");
    }

    @Test
    void onlyServerStreamingMethodsAnswerAsEventStreams() {
        assertThat(routes).filteredOn(RestRoute::streaming).extracting(RestRoute::fullMethodName)
                .containsExactly("khmer.llm.v1.ChatService/StreamChat");
    }

    @Test
    void postsCarryTheMessageAsBodyAndGetsTakeQueryParameters() {
        assertThat(routes).filteredOn(route -> route.verb() == HttpMethod.POST).allMatch(RestRoute::hasBody);
        assertThat(routes).filteredOn(route -> route.verb() == HttpMethod.PUT).allMatch(RestRoute::hasBody);
        assertThat(routes).filteredOn(route -> route.verb() == HttpMethod.GET || route.verb() == HttpMethod.DELETE)
                .noneMatch(RestRoute::hasBody);
    }
}
