package org.khmerai.model;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every model server for its models ({@code GET /v1/models}) every {@code interval}: a server
 * that cannot be reached, answers otherwise than with a model list, or does not list the model it
 * is configured for, is down until a later check finds it well, and {@link ModelRouter} tries it
 * only after the servers found well, so that calls go first to a server that works instead of
 * finding out one call at a time (and a check that is wrong about a server never makes it unusable).
 * A server not checked yet counts as up.
 */
public final class ModelServerHealth implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelServerHealth.class);

    /** What the last check of a server found. */
    public record Check(boolean up, String detail, Instant at) {
    }

    private final List<ModelServer> servers;
    private final OpenAiChatClient client;
    private final Clock clock;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("model-server-health").factory());

    public ModelServerHealth(List<ModelServer> servers, OpenAiChatClient client, Clock clock) {
        this.servers = List.copyOf(servers);
        this.client = client;
        this.clock = clock;
    }

    /** Checks every server now and then every {@code interval}. */
    public ModelServerHealth every(Duration interval) {
        schedule.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public void checkAll() {
        servers.forEach(this::check);
    }

    public boolean isUp(ModelServer server) {
        return lastCheck(server).map(Check::up).orElse(true);
    }

    public Optional<Check> lastCheck(ModelServer server) {
        return Optional.ofNullable(checks.get(server.name()));
    }

    private void check(ModelServer server) {
        Check check;
        try {
            List<String> models = client.models(server, Duration.ofSeconds(5));
            check = models.contains(server.model())
                    ? new Check(true, "serves " + server.model(), clock.instant())
                    : new Check(false, "does not serve " + server.model() + "; it serves " + models, clock.instant());
        } catch (IOException e) {
            check = new Check(false, "GET /v1/models failed: " + e.getMessage(), clock.instant());
        }
        Check before = checks.put(server.name(), check);
        if (before == null ? !check.up() : before.up() != check.up()) {
            if (check.up()) {
                log.info("model server {} of {} is up again: {}", server.name(), server.alias(), check.detail());
            } else {
                log.warn("model server {} of {} is down, calls pass it by: {}", server.name(), server.alias(), check.detail());
            }
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
