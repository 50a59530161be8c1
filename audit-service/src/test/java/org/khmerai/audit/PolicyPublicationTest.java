package org.khmerai.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.khmerai.policy.PolicyRules.terms;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.KafkaBroker;
import org.khmerai.audit.policy.AuditPolicyGrpcService;
import org.khmerai.audit.v1.DeletePolicyRuleRequest;
import org.khmerai.audit.v1.RuleAction;
import org.khmerai.platform.security.Caller;
import org.khmerai.policy.PolicyFeed;
import org.khmerai.policy.PolicyTopic;
import org.springframework.beans.factory.annotation.Autowired;

/** A rule an administrator saves reaches, over Kafka, the services that enforce it on calls; so does its deletion. */
class PolicyPublicationTest extends AuditServiceHarness {

    @Autowired
    AuditPolicyGrpcService policy;

    @Test
    void aSavedBlockingRuleIsEnforcedWithinSecondsAndADeletedOneNoLonger() throws Exception {
        String tenant = "ministry-" + UUID.randomUUID();
        Caller admin = new Caller("adam", tenant, "demo-cli", Set.of("admin"), "unused");
        try (PolicyFeed feed = PolicyFeed.start(KafkaBroker.forTests(), PolicyTopic.NAME, Duration.ofSeconds(30))) {
            assertThat(blocks(feed, tenant, "a bribe")).isFalse();

            UnaryCall.ok(admin, policy::putPolicyRule, terms("no-bribes", RuleAction.RULE_ACTION_BLOCK, "bribe"));
            UnaryCall.ok(admin, policy::putPolicyRule, terms("flag-gifts", RuleAction.RULE_ACTION_FLAG, "gift"));
            awaitTrue(() -> blocks(feed, tenant, "a bribe"));
            assertThat(blocks(feed, tenant, "a gift")).as("flagging acts in storage only").isFalse();

            UnaryCall.ok(admin, policy::deletePolicyRule, DeletePolicyRuleRequest.newBuilder().setId("no-bribes").build());
            awaitTrue(() -> !blocks(feed, tenant, "a bribe"));
        }
    }

    private static boolean blocks(PolicyFeed feed, String tenant, String text) {
        return feed.of(tenant).screen(text).block().isPresent();
    }
}
