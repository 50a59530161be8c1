package org.khmerai.model;

import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a model alias from its servers in order: a server that fails before its first token
 * (unreachable, HTTP 5xx or 429, no first token in time, a broken or unreadable stream) gives way to
 * the next, after a short jittered pause, up to {@code maxAttempts} tries in all; a server that keeps
 * failing is skipped for a while ({@link CircuitBreaker}), and one its health check found down is
 * tried after the others ({@link ModelServerHealth}). Once an answer has begun there is no fallback:
 * a stream that breaks then is reported incomplete.
 */
public final class ModelRouter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRouter.class);
    private static final Duration PAUSE = Duration.ofMillis(100);

    private final RoutingRules rules;
    private final OpenAiChatClient client;
    private final ModelServerHealth health;
    private final Clock clock;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, List<ModelServer>> models = new LinkedHashMap<>();

    /**
     * @param servers the model servers; an alias's servers are tried in this order
     * @param health  what the health checks found: a server found down is tried after those found well
     */
    public ModelRouter(List<ModelServer> servers, RoutingRules rules, OpenAiChatClient client, ModelServerHealth health,
                       Clock clock) {
        servers.forEach(server -> models.computeIfAbsent(server.alias(), alias -> new ArrayList<>()).add(server));
        this.rules = rules;
        this.client = client;
        this.health = health;
        this.clock = clock;
    }

    /** A router over its own client, with every server's health checked every {@code healthCheckInterval}. */
    public static ModelRouter checked(List<ModelServer> servers, RoutingRules rules, Duration healthCheckInterval, Clock clock) {
        OpenAiChatClient client = new OpenAiChatClient();
        return new ModelRouter(servers, rules, client, new ModelServerHealth(servers, client, clock).every(healthCheckInterval), clock);
    }

    /** The aliases served, in the order their first servers were listed. */
    public Set<String> aliases() {
        return Collections.unmodifiableSet(models.keySet());
    }

    /** The servers of an alias, in fallback order; empty when the platform serves no such alias. */
    public Optional<List<ModelServer>> servers(String alias) {
        return Optional.ofNullable(models.get(alias)).filter(servers -> !servers.isEmpty());
    }

    /**
     * Streams the answer of the first server of {@code alias} that gives one, among those that serve {@code tenant}.
     *
     * @param onExchange receives each exchange as it starts, so that the caller can cancel it
     */
    public Outcome chat(String alias, String tenant, ChatCompletion completion, Instant deadline, AnswerSink sink,
                        Consumer<OpenAiChatClient.Exchange> onExchange) {
        List<ModelServer> servers = inOrderFor(tenant,
                servers(alias).orElseThrow(() -> new IllegalArgumentException("no model alias " + alias)));
        if (servers.isEmpty()) {
            return new Outcome.Unavailable("every server of " + alias + " is dedicated to other ministries");
        }
        String lastFailure = "every server of " + alias + " is being skipped after repeated failures";
        int attempts = 0;
        for (int turn = 0; attempts < rules.maxAttempts() && turn < servers.size() * rules.maxAttempts(); turn++) {
            ModelServer server = servers.get(turn % servers.size());
            CircuitBreaker breaker = breakers.computeIfAbsent(server.name(),
                    name -> new CircuitBreaker(rules.failuresToOpen(), rules.openFor(), clock));
            if (!breaker.allows()) {
                continue;
            }
            if (attempts > 0 && !pause(deadline)) {
                break;
            }
            attempts++;
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return new Outcome.DeadlineExceeded("the call's deadline passed before a server answered", false);
            }
            Instant firstTokenBy = min(now.plus(rules.firstTokenTimeout()), deadline);
            OpenAiChatClient.Exchange exchange = client.exchange();
            onExchange.accept(exchange);
            Outcome outcome = exchange.stream(server, completion, firstTokenBy, deadline, sink);
            switch (outcome) {
                case Outcome.FailedBeforeAnswer failed -> {
                    breaker.failed();
                    lastFailure = server.name() + ": " + failed.why();
                    log.warn("model server {} of {} failed before answering, trying the next: {}", server.name(), alias, failed.why());
                }
                case Outcome.Finished finished -> {
                    breaker.succeeded();
                    return finished;
                }
                case Outcome.Incomplete incomplete -> {
                    breaker.failed();
                    return incomplete;
                }
                default -> {
                    return outcome;
                }
            }
        }
        return clock.instant().isBefore(deadline) ? new Outcome.Unavailable(lastFailure)
                : new Outcome.DeadlineExceeded("the call's deadline passed before a server answered; last: " + lastFailure, false);
    }

    /**
     * {@link #chat} for the gRPC call being served in {@code call}: when it is cancelled (its caller
     * went away, or its deadline passed) the server's request is cancelled at once.
     */
    public Outcome chat(Context call, String alias, String tenant, ChatCompletion completion, Instant deadline, AnswerSink sink) {
        AtomicReference<OpenAiChatClient.Exchange> current = new AtomicReference<>();
        Context.CancellationListener cancel = cancelled -> {
            OpenAiChatClient.Exchange exchange = current.get();
            if (exchange != null) {
                exchange.cancel();
            }
        };
        call.addListener(cancel, Runnable::run);
        try {
            return chat(alias, tenant, completion, deadline, sink, exchange -> {
                current.set(exchange);
                if (call.isCancelled()) {
                    exchange.cancel();
                }
            });
        } finally {
            call.removeListener(cancel);
        }
    }

    /** When a call must be over: its caller's gRPC deadline, or {@code limit} from now when that is sooner or there is none. */
    public Instant deadline(Context call, Duration limit) {
        Instant own = clock.instant().plus(limit);
        Deadline callers = call.getDeadline();
        if (callers == null) {
            return own;
        }
        Instant theirs = clock.instant().plusMillis(callers.timeRemaining(TimeUnit.MILLISECONDS));
        return theirs.isBefore(own) ? theirs : own;
    }

    /**
     * The servers a ministry's call may go to, in the order it tries them: those dedicated to the
     * ministry before the shared ones, and within each, those that passed their last health check
     * before the others (a last resort); the configured order otherwise.
     */
    private List<ModelServer> inOrderFor(String tenant, List<ModelServer> servers) {
        return servers.stream().filter(server -> server.serves(tenant))
                .sorted(Comparator.comparing((ModelServer server) -> !server.dedicatedTo(tenant))
                        .thenComparing(server -> !health.isUp(server)))
                .toList();
    }

    /** Waits a little before the next try, jittered so that many calls do not retry in step; false when the deadline is too near. */
    private boolean pause(Instant deadline) {
        long millis = PAUSE.toMillis() / 2 + ThreadLocalRandom.current().nextLong(PAUSE.toMillis());
        if (clock.instant().plusMillis(millis).isAfter(deadline)) {
            return false;
        }
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Stops the health checks and closes the connections to the servers. */
    @Override
    public void close() {
        health.close();
        client.close();
    }
}
