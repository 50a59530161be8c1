package org.khmerai.audit.retention;

import java.time.Clock;
import java.time.Duration;
import org.khmerai.platform.boot.PeriodicTask;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The schedule that purges stored text past each ministry's retention period. */
@Configuration(proxyBeanMethods = false)
public class RetentionConfiguration {

    /**
     * {@code khmer-ai.retention.*}.
     *
     * @param purgeInterval how often text past its ministry's retention period is purged
     */
    @ConfigurationProperties("khmer-ai.retention")
    public record RetentionProperties(@DefaultValue("1h") Duration purgeInterval) {
    }

    @Bean
    ContentRetention contentRetention(JdbcTemplate jdbc) {
        return new ContentRetention(jdbc, Clock.systemUTC());
    }

    @Bean
    SmartLifecycle retentionSchedule(ContentRetention retention, RetentionProperties properties) {
        return new PeriodicTask("audit-retention", properties.purgeInterval(), retention::purge);
    }
}
