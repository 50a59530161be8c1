package org.khmerai.audit.chain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.khmerai.platform.boot.PeriodicTask;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The hash chain's key, its verifier, and the schedule that signs checkpoints. */
@Configuration(proxyBeanMethods = false)
public class ChainConfiguration {

    /**
     * {@code khmer-ai.chain.*}.
     *
     * @param signingKeyFile     the checkpoint key (created there if absent); required
     * @param checkpointInterval how often the head of every chain that grew is signed
     * @param trustedKeyIds      ids of earlier keys whose checkpoints still count after a key change
     */
    @ConfigurationProperties("khmer-ai.chain")
    public record ChainProperties(Path signingKeyFile, @DefaultValue("60s") Duration checkpointInterval,
                                  @DefaultValue List<String> trustedKeyIds) {
    }

    @Bean
    CheckpointKey checkpointKey(ChainProperties chain) {
        if (chain.signingKeyFile() == null) {
            throw new IllegalStateException("set khmer-ai.chain.signing-key-file (KHMER_AI_CHAIN_SIGNING_KEY_FILE): "
                    + "the file that holds, or will hold, the key that signs audit chain checkpoints");
        }
        return CheckpointKey.loadOrCreate(chain.signingKeyFile());
    }

    @Bean
    Checkpoints checkpoints(JdbcTemplate jdbc) {
        return new Checkpoints(jdbc);
    }

    @Bean
    ChainVerifier chainVerifier(JdbcTemplate jdbc, Checkpoints checkpoints, CheckpointKey key, ChainProperties chain) {
        Set<String> trusted = new HashSet<>(chain.trustedKeyIds());
        trusted.add(key.id());
        return new ChainVerifier(jdbc, checkpoints, trusted);
    }

    @Bean
    SmartLifecycle checkpointSchedule(Checkpoints checkpoints, CheckpointKey key, ChainProperties chain) {
        return new PeriodicTask("audit-checkpoints", chain.checkpointInterval(), () -> checkpoints.signGrownChains(key));
    }
}
