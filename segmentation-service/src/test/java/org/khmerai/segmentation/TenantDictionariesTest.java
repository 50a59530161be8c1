package org.khmerai.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.khmerai.infrastructure.PostgresServer;
import org.khmerai.segmentation.dictionary.DictionaryStore;
import org.khmerai.segmentation.dictionary.TenantDictionaries;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** How replicas keep their copies of the ministries' dictionaries current, and what they do when the store is down. */
class TenantDictionariesTest extends ServiceHarness {

    private final Switchable database = new Switchable(new DriverManagerDataSource(PostgresServer.testDatabase("khmer_ai_segmentation"), "postgres", "postgres"));
    private final DictionaryStore store = new DictionaryStore(new JdbcTemplate(database),
            new TransactionTemplate(new DataSourceTransactionManager(database)));

    @Test
    void anotherReplicaAppliesAChangeWithinItsRefreshInterval() throws InterruptedException {
        String tenant = "ministry-" + UUID.randomUUID();
        TenantDictionaries otherReplica = new TenantDictionaries(store, Duration.ofMillis(200));
        assertThat(otherReplica.of(tenant).revision()).isZero();

        store.add(tenant, "admin", List.of("ស្រុក"), 10);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (otherReplica.of(tenant).revision() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(otherReplica.of(tenant).revision()).isEqualTo(1);
        assertThat(otherReplica.of(tenant).dictionary().terms()).containsExactly("ស្រុក");
    }

    @Test
    void whenTheStoreIsDownTheLastCopyStaysInUseAndAMinistryWithoutOneIsRefused() {
        String known = "ministry-" + UUID.randomUUID();
        store.add(known, "admin", List.of("ស្រុក"), 10);
        TenantDictionaries replica = new TenantDictionaries(store, Duration.ZERO);
        assertThat(replica.of(known).revision()).isEqualTo(1);

        database.down = true;
        assertThat(replica.of(known).dictionary().terms()).containsExactly("ស្រុក");
        assertThatThrownBy(() -> replica.of("ministry-" + UUID.randomUUID())).isInstanceOf(TenantDictionaries.Unavailable.class);

        database.down = false;
        store.add(known, "admin", List.of("ខេត្ត"), 10);
        assertThat(replica.of(known).revision()).as("back in step once the store answers").isEqualTo(2);
    }

    @Test
    void aChangeThatWouldOverfillTheDictionaryKeepsNothing() {
        String tenant = "ministry-" + UUID.randomUUID();
        store.add(tenant, "admin", List.of("ស្រុក", "ខេត្ត"), 3);
        assertThatThrownBy(() -> store.add(tenant, "admin", List.of("ភូមិ", "ឃុំ"), 3))
                .isInstanceOf(DictionaryStore.DictionaryFull.class)
                .hasMessageContaining("at most 3 terms");
        assertThat(store.snapshot(tenant).terms()).containsExactlyInAnyOrder("ស្រុក", "ខេត្ត");
        assertThat(store.snapshot(tenant).revision()).isEqualTo(1);
    }

    /** A database that can be taken away and given back. */
    private static final class Switchable extends DelegatingDataSource {
        volatile boolean down;

        Switchable(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLTransientConnectionException("the test took the database away");
            }
            return super.getConnection();
        }
    }
}
