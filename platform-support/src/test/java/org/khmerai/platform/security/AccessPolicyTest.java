package org.khmerai.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.AccessPolicy.Refusal;

/** Roles come from the contracts: a method's own where it names them, else its service's. */
class AccessPolicyTest {

    private final AccessPolicy access = AccessPolicy.ofPlatformContracts();

    @Test
    void auditorsReadTheReviewQueueButOnlyReviewersChangeIt() {
        Caller auditor = caller("auditor");
        Caller reviewer = caller("reviewer");
        Caller admin = caller("admin");

        assertThat(access.refusal(auditor, "khmer.audit.v1.AuditReviewService/ListReviewItems")).isEmpty();
        assertThat(access.refusal(auditor, "khmer.audit.v1.AuditReviewService/GetReviewItem")).isEmpty();
        assertThat(access.refusal(auditor, "khmer.audit.v1.AuditReviewService/ClaimReviewItem")).get()
                .extracting(Refusal::error).isEqualTo(PlatformError.FORBIDDEN);
        assertThat(access.refusal(auditor, "khmer.audit.v1.AuditReviewService/DecideReviewItem")).isPresent();
        assertThat(access.refusal(reviewer, "khmer.audit.v1.AuditReviewService/DecideReviewItem")).isEmpty();
        assertThat(access.refusal(admin, "khmer.audit.v1.AuditReviewService/ListReviewItems")).isPresent();
        assertThat(access.refusal(admin, "khmer.audit.v1.AuditPolicyService/PutPolicyRule")).isEmpty();
        assertThat(access.refusal(reviewer, "khmer.audit.v1.AuditPolicyService/PutPolicyRule")).isPresent();
    }

    @Test
    void aMethodNoContractDefinesIsClosed() {
        assertThat(access.refusal(caller("admin"), "khmer.audit.v1.AuditReviewService/DeleteEverything")).get()
                .extracting(Refusal::error).isEqualTo(PlatformError.NOT_IMPLEMENTED);
    }

    private static Caller caller(String role) {
        return new Caller("someone", "education", "demo-cli", Set.of(role), "unused");
    }
}
