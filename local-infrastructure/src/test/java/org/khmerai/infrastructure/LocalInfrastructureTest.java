package org.khmerai.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real parts the tests and the local stack stand on, started here the way they start there. */
class LocalInfrastructureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void keycloakImportsTheRealmWithTenantsRolesAndAudience() throws Exception {
        try (KeycloakServer keycloak = KeycloakServer.start(Cache.folder(), 0, 0, work.resolve("keycloak.log"))) {
            Tokens tokens = new Tokens(keycloak.tokenEndpoint());

            JsonNode portal = claims(tokens.clientCredentials("demo-portal", "demo-portal-secret"));
            assertThat(portal.path("tenant").asText()).isEqualTo("demo-ministry");
            assertThat(portal.path("iss").asText()).isEqualTo(keycloak.issuer().toString());
            assertThat(portal.path("aud").toString()).contains("khmer-ai-api");
            assertThat(portal.path("realm_access").path("roles").toString()).contains("segmentation-user");

            JsonNode other = claims(tokens.clientCredentials("other-portal", "other-portal-secret"));
            assertThat(other.path("tenant").asText()).isEqualTo("other-ministry");

            JsonNode reviewer = claims(tokens.password("demo-cli", "demo-reviewer", "demo-reviewer"));
            assertThat(reviewer.path("tenant").asText()).isEqualTo("demo-ministry");
            assertThat(reviewer.path("preferred_username").asText()).isEqualTo("demo-reviewer");
            assertThat(reviewer.path("realm_access").path("roles").toString())
                    .contains("reviewer").doesNotContain("segmentation-user");
        }
    }

    @Test
    void kafkaAcceptsTopicsOnAFreePort() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"), 0, 0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("probe", 1, (short) 1))).all().get();
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("probe");
        }
    }

    @Test
    void postgresCreatesADatabaseAndKeepsItsData() throws Exception {
        String url;
        try (PostgresServer postgres = PostgresServer.start(work.resolve("pg"), work.resolve("pg-work"), 0)) {
            url = postgres.database("khmer_ai_probe");
            try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
                connection.createStatement().execute("create table kept(x int); insert into kept values (42)");
            }
        }
        try (PostgresServer postgres = PostgresServer.start(work.resolve("pg"), work.resolve("pg-work"), 0);
             Connection connection = DriverManager.getConnection(postgres.database("khmer_ai_probe"), "postgres", "postgres");
             ResultSet kept = connection.createStatement().executeQuery("select x from kept")) {
            assertThat(kept.next()).isTrue();
            assertThat(kept.getInt(1)).isEqualTo(42);
        }
    }

    private static JsonNode claims(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }
}
