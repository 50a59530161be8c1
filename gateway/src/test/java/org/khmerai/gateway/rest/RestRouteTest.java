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
                        "GET /api/v1/dictionary/terms -> khmer.segmentation.v1.UserDictionaryService/ListDictionaryTerms",
                        "POST /api/v1/dictionary/terms:batchAdd -> khmer.segmentation.v1.UserDictionaryService/AddDictionaryTerms",
                        "POST /api/v1/dictionary/terms:batchRemove -> khmer.segmentation.v1.UserDictionaryService/RemoveDictionaryTerms",
                        "GET /api/v1/audit/events -> khmer.audit.v1.AuditQueryService/ListAuditEvents",
                        "GET /api/v1/audit/chain:verify -> khmer.audit.v1.AuditIntegrityService/VerifyAuditChain");
    }

    @Test
    void postsCarryTheMessageAsBodyAndGetsTakeQueryParameters() {
        assertThat(routes).filteredOn(route -> route.verb() == HttpMethod.POST).allMatch(RestRoute::hasBody);
        assertThat(routes).filteredOn(route -> route.verb() == HttpMethod.GET).noneMatch(RestRoute::hasBody);
    }
}
