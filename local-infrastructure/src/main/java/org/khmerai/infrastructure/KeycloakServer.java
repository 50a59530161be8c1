package org.khmerai.infrastructure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak, from the {@code keycloak-quarkus-dist} zip on Maven Central, unpacked once into a
 * cache folder and run as a child process in dev mode with an in-memory database: every start
 * imports the platform's realm afresh, so tests and the local stack always see the versioned realm.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "khmer-ai";
    /** Local-development default for Keycloak's own admin console; never used outside this machine. */
    public static final String BOOTSTRAP_ADMIN = "admin";

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    private final Process process;
    private final URI baseUri;
    private final Path logFile;

    private KeycloakServer(Process process, URI baseUri, Path logFile) {
        this.process = process;
        this.baseUri = baseUri;
        this.logFile = logFile;
    }

    /**
     * @param cacheDir       where the distribution is unpacked, once per version
     * @param port           HTTP port, 0 for a free one
     * @param managementPort health port, 0 for a free one
     * @param logFile        Keycloak's console output
     */
    public static KeycloakServer start(Path cacheDir, int port, int managementPort, Path logFile)
            throws IOException, InterruptedException {
        KeycloakServer server = launch(cacheDir, port, managementPort, logFile);
        try {
            server.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Starts the process and returns at once; {@link #awaitReady()} waits for the realm. */
    public static KeycloakServer launch(Path cacheDir, int port, int managementPort, Path logFile) throws IOException {
        Path home = unpacked(cacheDir);
        Path importDir = Files.createDirectories(home.resolve("data").resolve("import"));
        try (InputStream realm = resource("keycloak/" + REALM + "-realm.json")) {
            Path staged = Files.createTempFile(importDir, "realm", ".tmp");
            Files.copy(realm, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, importDir.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        int httpPort = FreePorts.orFree(port);
        Path tmp = Files.createDirectories(home.resolve("data").resolve("tmp"));
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-port=" + FreePorts.orFree(managementPort), "--health-enabled=true",
                "--db=dev-mem", "--import-realm", "--cache=local"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", BOOTSTRAP_ADMIN);
        environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", BOOTSTRAP_ADMIN);
        environment.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        environment.put("JAVA_OPTS_APPEND", "-Djava.io.tmpdir=" + tmp + " -Dvertx.cacheDirBase=" + tmp.resolve("vertx"));
        return new KeycloakServer(builder.start(), URI.create("http://127.0.0.1:" + httpPort), logFile);
    }

    /** The realm's issuer, as it appears in the {@code iss} claim of its tokens. */
    public URI issuer() {
        return URI.create(baseUri + "/realms/" + REALM);
    }

    public URI tokenEndpoint() {
        return URI.create(issuer() + "/protocol/openid-connect/token");
    }

    public URI baseUri() {
        return baseUri;
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(30));
    }

    /** Waits until the realm answers its OpenID discovery, or fails when Keycloak exits or times out. */
    public void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("Keycloak exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IOException("Keycloak was not ready within " + READY_TIMEOUT + "; see " + logFile);
    }

    /** The distribution unpacked under {@code cacheDir}, unpacking it on first use. */
    private static Path unpacked(Path cacheDir) throws IOException {
        Properties build = new Properties();
        try (InputStream in = resource("local-infrastructure.properties")) {
            build.load(in);
        }
        String version = build.getProperty("keycloak.version");
        Path home = cacheDir.resolve("keycloak-" + version);
        if (Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            return home;
        }
        Path zip = Path.of(System.getProperty("keycloak.distribution", build.getProperty("keycloak.distribution")));
        Files.createDirectories(cacheDir);
        Path staging = Files.createTempDirectory(cacheDir, "keycloak-unpacking");
        unzip(zip, staging);
        Files.move(staging.resolve("keycloak-" + version), home, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(staging);
        return home;
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("zip entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(in, path);
                    if (path.toString().endsWith(".sh")) {
                        path.toFile().setExecutable(true);
                    }
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = KeycloakServer.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing resource " + name);
        }
        return in;
    }
}
