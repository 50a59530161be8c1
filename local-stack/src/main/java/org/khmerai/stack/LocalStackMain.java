package org.khmerai.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.utils.Exit;

/**
 * {@code ./khmer-ai up}: starts the platform on the architecture's ports and keeps it running until
 * Ctrl-C or {@code ./khmer-ai down}, which stop every process cleanly.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("khmer-ai.home", ".khmer-ai")).toAbsolutePath();
        // before the first logger: the launcher's log goes beside the services' logs
        System.setProperty("khmer-ai.logs", home.resolve("logs").toString());
        // a fatal fault in the in-process Kafka halts the JVM, skipping shutdown hooks: take the children along
        Exit.setHaltProcedure((status, message) -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            Runtime.getRuntime().halt(status);
        });
        StackPorts ports = StackPorts.architecture();
        if (!ports.taken().isEmpty()) {
            System.err.println("Ports " + ports.taken() + " are in use: is the platform already running? ./khmer-ai down stops it.");
            System.exit(1);
        }
        long started = System.nanoTime();
        Files.createDirectories(home);
        Path pidFile = home.resolve("stack.pid");
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));

        LocalStack stack;
        try {
            stack = LocalStack.start(home, ports, Map.of(),
                    line -> System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, line));
        } catch (Exception | Error e) {
            Files.deleteIfExists(pidFile);
            System.err.println("The platform did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the platform...");
            try {
                stack.close();
                Files.deleteIfExists(pidFile);
            } catch (Exception e) {
                System.err.println("Stopping failed: " + e.getMessage());
            }
            System.out.println("Stopped.");
            stopped.countDown();
        }, "stop-platform"));
        System.out.printf("%nThe Khmer AI platform is ready after %.1f s.%n%n%s%n", (System.nanoTime() - started) / 1e9,
                banner(stack.ports(), home));
        stopped.await();
    }

    private static String banner(StackPorts ports, Path home) {
        return """
                  REST API      http://127.0.0.1:%1$d/api/v1/...
                  gRPC API      127.0.0.1:%2$d (the same contracts, api/src/main/proto)
                  Keycloak      http://127.0.0.1:%3$d  (admin console: admin / admin, local only)
                  Kafka         127.0.0.1:%4$d   PostgreSQL 127.0.0.1:%5$d (postgres / postgres)
                  Logs          %6$s

                Try it (local-development credentials):

                  TOKEN=$(curl -s http://127.0.0.1:%3$d/realms/khmer-ai/protocol/openid-connect/token \\
                    -d grant_type=client_credentials -d client_id=demo-portal -d client_secret=demo-portal-secret \\
                    | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                  curl -s http://127.0.0.1:%1$d/api/v1/segment -H "Authorization: Bearer $TOKEN" \\
                    -H 'Content-Type: application/json' -d '{"text":"កម្ពុជាជាប្រទេសមួយ"}'

                Stop with Ctrl-C or ./khmer-ai down.
                """.formatted(ports.gatewayHttp(), ports.gatewayGrpc(), ports.keycloak(), ports.kafka(), ports.postgres(),
                home.resolve("logs"));
    }
}
