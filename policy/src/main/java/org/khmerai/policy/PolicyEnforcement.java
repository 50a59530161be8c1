package org.khmerai.policy;

import org.khmerai.platform.boot.PlatformAuditProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What a service that enforces the ministries' rules on its calls imports: their {@link PolicyFeed}, from the audit's Kafka. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PolicyProperties.class)
public class PolicyEnforcement {

    @Bean(destroyMethod = "close")
    PolicyFeed policyFeed(PlatformAuditProperties audit, PolicyProperties policy) {
        return PolicyFeed.start(audit.bootstrapServers(), policy.topic(), policy.readyTimeout());
    }
}
