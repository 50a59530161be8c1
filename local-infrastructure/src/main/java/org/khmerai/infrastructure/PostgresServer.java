package org.khmerai.infrastructure;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A real PostgreSQL 17 server from zonky's embedded binaries, as a child process of this JVM. */
public final class PostgresServer implements AutoCloseable {

    private static PostgresServer forTests;

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param dataDir kept between starts, so the local stack keeps its data
     * @param port    0 for a free port
     */
    public static PostgresServer start(Path dataDir, Path workDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(workDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(workDir.toFile())
                .setPort(FreePorts.orFree(port))
                .start();
        return new PostgresServer(postgres);
    }

    /**
     * For a module's tests: one server for the whole JVM (data under {@code target/}), started at the
     * first call and stopped when the JVM ends.
     *
     * @return the JDBC URL of {@code database} on it, created if need be
     */
    public static synchronized String testDatabase(String database) {
        try {
            if (forTests == null) {
                Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "postgres");
                forTests = start(work.resolve("data"), work.resolve("work"), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        forTests.close();
                    } catch (IOException ignored) {
                        // the JVM is ending
                    }
                }));
            }
            return forTests.database(database);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("PostgreSQL for the tests did not start", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** Creates {@code database} unless it exists, and returns its JDBC URL. */
    public String database(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'");
            if (!exists.next()) {
                statement.execute("create database \"" + database + "\"");
            }
        }
        return postgres.getJdbcUrl("postgres", database);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
