package org.khmerai.bench;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.khmerai.infrastructure.FakeModelServer;
import org.khmerai.infrastructure.Tokens;
import org.khmerai.llm.v1.ChatChunk;
import org.khmerai.llm.v1.ChatMessage;
import org.khmerai.llm.v1.ChatRequest;
import org.khmerai.llm.v1.ChatServiceGrpc;
import org.khmerai.llm.v1.Role;
import org.khmerai.platform.grpc.ConnectionPool;
import org.khmerai.stack.LocalStack;
import org.khmerai.stack.StackPorts;

/**
 * {@code ./khmer-ai bench chat-relay}: what the platform adds to a streamed chat answer. The whole
 * platform runs on this machine (Keycloak, Kafka, PostgreSQL, the services from their jars, on free
 * ports) in front of a fake model server that streams a fixed number of tokens with a fixed delay
 * each. The same streams are then read straight from the model server (OpenAI-compatible SSE over
 * HTTP) and through the platform (gRPC StreamChat at the gateway's edge, with a token, audited, over
 * eight connections as several applications would open), in
 * the same run; and, to tell the gateway's part from the llm service's, straight from the llm
 * service's own port (the same call without the gateway). Three loads: 1 stream at a time; 200
 * started at the same instant (a burst of call set-ups); and 200 open at all times, each reader
 * starting its next stream when its last one ends (the steady load of 200 concurrent streams). Time
 * to first token and the gap between tokens are measured per stream; the added figures are the
 * platform's percentile minus the direct one; the CPU time of every process a stream is counted for
 * the direct and the platform's streams ({@link CpuMeter}). Last line, for the steady 200:
 * {@code ttft_added_p50_ms=A ttft_added_p99_ms=B streams=200 errors=0}, against the target of an added
 * time to first token p99 under 5 ms at 200 concurrent streams.
 */
public final class ChatRelayBenchmark {

    private static final int TOKENS = 32;
    private static final int APPLICATIONS = 8;
    private static final Duration PER_TOKEN = Duration.ofMillis(20);
    private static final int WARM_UP_ROUNDS = 10;
    /**
     * Rounds of the steady load before anything is measured, about two minutes: until then the JIT
     * compilers of the services still take a third of their CPU, which a server that has run for a
     * while no longer spends.
     */
    private static final int WARM_UP_SUSTAINED_ROUNDS = 12;
    /** Further rounds of the steady load until the JIT compilers take less than this share of the CPU, in percent. */
    private static final double COMPILERS_SETTLED_PERCENT = 3;
    private static final int MAX_SETTLING_ROUNDS = 18;
    private static final Duration TOKEN_REFRESH = Duration.ofMinutes(2);
    /** A stream's length at the model server: its first token and each further one a delay apart. */
    private static final Duration STREAM_LENGTH = PER_TOKEN.multipliedBy(TOKENS + 1);
    /** The streams each reader counts in one round of sustained load. */
    private static final int SUSTAINED_STREAMS = 3;
    private static final String QUESTION = "តើរាជធានីនៃប្រទេសកម្ពុជាជាអ្វី?";

    private ChatRelayBenchmark() {
    }

    /** One stream as its reader saw it: nanoseconds from its request to each token, or why it failed. */
    record Stream(long firstTokenNanos, double meanGapNanos, String failure) {

        static Stream failed(String why) {
            return new Stream(0, 0, why);
        }

        boolean failed() {
            return failure != null;
        }
    }

    public static void main(String[] args) throws Exception {
        int streams = 200;
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--streams" -> streams = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path home = Files.createTempDirectory("khmer-ai-bench-chat");
        System.out.printf("bench chat-relay: %d tokens a stream, %d ms each; 1 and %d concurrent streams, %d rounds each;"
                + " the whole platform and the fake model server on this machine (%d cores); this JVM's heap and collector: %s%n",
                TOKENS, PER_TOKEN.toMillis(), streams, rounds, Runtime.getRuntime().availableProcessors(), heapAndCollector());
        try (FakeModelServer model = new FakeModelServer("sea-lion-v3")) {
            model.tokens = Collections.nCopies(TOKENS, "ក");
            model.firstTokenDelay = PER_TOKEN;
            model.perToken = PER_TOKEN;
            try (LocalStack stack = LocalStack.start(home, StackPorts.free(), Map.of(
                    "KHMER_AI_LLM_SERVERS_0_ALIAS", "sealion",
                    "KHMER_AI_LLM_SERVERS_0_NAME", "fake-vllm",
                    "KHMER_AI_LLM_SERVERS_0_URL", model.url().toString(),
                    "KHMER_AI_LLM_SERVERS_0_MODEL", "sea-lion-v3",
                    "KHMER_AI_LLM_DEFAULT_MODEL", "sealion"), line -> System.out.println("[stack] " + line))) {
                Supplier<String> token = new PortalToken(new Tokens(stack.keycloak().tokenEndpoint()));
                ConnectionPool edge = applications(stack.ports().gatewayGrpc());
                ConnectionPool llm = applications(stack.ports().llm());
                // the JDK's client, as light as it can be set up: its selector thread hands each event straight to the reader
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build();
                try {
                    Reader direct = () -> direct(http, model);
                    Reader service = () -> overGrpc(llm, token.get());
                    Reader platform = () -> overGrpc(edge, token.get());
                    // each path's code compiled by the JIT, its connections open, Keycloak's keys fetched, as in a server that runs for days
                    Paths paths = new Paths(stack, direct, service, platform);
                    run("warm-up", Load.burst(Math.min(50, streams)), WARM_UP_ROUNDS, paths);
                    run("warm-up", Load.sustained(streams, STREAM_LENGTH), WARM_UP_SUSTAINED_ROUNDS, paths);
                    settle(Load.sustained(streams, STREAM_LENGTH), paths);
                    Result one = run("1 stream", Load.burst(1), 30, paths);
                    Result burst = run(streams + " at once", Load.burst(streams), rounds, paths);
                    // the steady load resumes for a round before it is measured, as it would have run all along
                    readEachPath(Load.sustained(streams, STREAM_LENGTH), paths, new CpuMeter(stack));
                    Result many = run(streams + " open", Load.sustained(streams, STREAM_LENGTH), rounds, paths);
                    System.out.printf("model server: %d calls on %d connections%n", model.requests.get(), model.connectionsUsed());
                    System.out.printf("target: ttft_added_p99_ms < 5 at %d concurrent streams: %s%n", streams,
                            many.ttftAddedP99() < 5 ? "met" : "NOT met");
                    System.out.printf("ttft_added_p50_ms=%.2f ttft_added_p99_ms=%.2f streams=%d errors=%d%n",
                            many.ttftAddedP50(), many.ttftAddedP99(), streams, one.errors() + burst.errors() + many.errors());
                } finally {
                    edge.shutdownNow();
                    llm.shutdownNow();
                }
            }
        }
    }

    /**
     * The flags this JVM was given for its heap and collector: its pauses stop the load generator and
     * the fake model server, so a run's figures depend on them (see {@code ./khmer-ai}).
     */
    private static String heapAndCollector() {
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.matches("-Xm[sx].*|-XX:[+-]Use\\w*GC")).toList();
        return flags.isEmpty() ? "the JVM's defaults" : String.join(" ", flags);
    }

    @FunctionalInterface
    interface Reader {
        Stream read();
    }

    record Result(double ttftAddedP50, double ttftAddedP99, long errors) {
    }

    /** The three ways to the same streams, and the stack whose processes' CPU time is counted. */
    record Paths(LocalStack stack, Reader direct, Reader service, Reader platform) {
    }

    /** The portal's token, fetched again after two minutes: the run outlasts a token's five. */
    private static final class PortalToken implements Supplier<String> {

        private final Tokens tokens;
        private String token;
        private long fetchedAt;

        PortalToken(Tokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public synchronized String get() {
            if (token == null || System.nanoTime() - fetchedAt > TOKEN_REFRESH.toNanos()) {
                try {
                    token = tokens.clientCredentials("demo-portal", "demo-portal-secret");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("no token from Keycloak", e);
                }
                fetchedAt = System.nanoTime();
            }
            return token;
        }
    }

    /**
     * The connections of several applications to one gRPC port, taken in turn by the streams: a
     * ministry's 200 streams come from more than one client. With all 200 on one HTTP/2 connection,
     * one event loop on each side carried every token of every stream, and the first token's p99
     * through the gateway was 14.8-20.0 ms over the straight path's in five runs.
     *
     * <p>The benchmark's gRPC reading is done on the channel's event loop: handing each token to a pooled
     * thread and then to the reader took about a quarter of the benchmark JVM's CPU, on the cores the platform
     * is measured on.
     */
    private static ConnectionPool applications(int port) {
        return new ConnectionPool(APPLICATIONS,
                () -> NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().flowControlWindow(1 << 20).build());
    }

    /**
     * Each round reads the streams straight, then from the llm service alone, then through the
     * platform; the CPU time of every process is counted for the straight and the platform's streams.
     */
    private static Result run(String label, Load load, int rounds, Paths paths) throws Exception {
        List<Stream> straight = new ArrayList<>();
        List<Stream> served = new ArrayList<>();
        List<Stream> relayed = new ArrayList<>();
        CpuMeter straightCpu = new CpuMeter(paths.stack());
        CpuMeter relayedCpu = new CpuMeter(paths.stack());
        for (int round = 0; round < rounds; round++) {
            straight.addAll(straightCpu.read(load, paths.direct()));
            served.addAll(load.read(paths.service()));
            relayed.addAll(relayedCpu.read(load, paths.platform()));
        }
        long errors = failed(straight) + failed(served) + failed(relayed);
        double[] ttftService = millis(served, true);
        System.out.printf("%-12s llm service alone, no gateway: ttft ms p50/p99 %.2f/%.2f; streams %d errors %d%n", label,
                percentile(ttftService, 50), percentile(ttftService, 99), served.size(), failed(served));
        double[] ttftDirect = millis(straight, true);
        double[] ttftPlatform = millis(relayed, true);
        double[] gapDirect = millis(straight, false);
        double[] gapPlatform = millis(relayed, false);
        Result result = new Result(percentile(ttftPlatform, 50) - percentile(ttftDirect, 50),
                percentile(ttftPlatform, 99) - percentile(ttftDirect, 99), errors);
        System.out.printf("%-12s ttft ms p50/p99 direct %.2f/%.2f platform %.2f/%.2f added %.2f/%.2f (max direct %.2f platform %.2f);"
                        + " per-token ms p50/p99 direct %.2f/%.2f platform %.2f/%.2f added %.2f/%.2f; streams %d+%d errors %d%n",
                label, percentile(ttftDirect, 50), percentile(ttftDirect, 99), percentile(ttftPlatform, 50), percentile(ttftPlatform, 99),
                result.ttftAddedP50(), result.ttftAddedP99(), percentile(ttftDirect, 100), percentile(ttftPlatform, 100), percentile(gapDirect, 50), percentile(gapDirect, 99),
                percentile(gapPlatform, 50), percentile(gapPlatform, 99), percentile(gapPlatform, 50) - percentile(gapDirect, 50),
                percentile(gapPlatform, 99) - percentile(gapDirect, 99), straight.size(), relayed.size(), errors);
        System.out.printf("%-12s cpu ms a stream, direct: %s; platform: %s%n", label, straightCpu.perStream(), relayedCpu.perStream());
        Set<String> failures = new LinkedHashSet<>();
        for (List<Stream> path : List.of(straight, served, relayed)) {
            path.stream().filter(Stream::failed).forEach(stream -> failures.add(stream.failure()));
        }
        failures.stream().limit(5).forEach(why -> System.out.printf("%-12s failed: %s%n", label, why));
        return result;
    }

    /**
     * More rounds of {@code load} after the warm-up until the JIT compilers of every process together
     * take less than {@value #COMPILERS_SETTLED_PERCENT}% of the CPU of a round (at most
     * {@value #MAX_SETTLING_ROUNDS}): with two cores for seven JVMs, the compilers of a service can
     * still be busy with its code after two minutes of load, and what they take the streams lack.
     */
    private static void settle(Load load, Paths paths) throws Exception {
        List<String> shares = new ArrayList<>();
        double compilers;
        do {
            CpuMeter cpu = new CpuMeter(paths.stack());
            readEachPath(load, paths, cpu);
            compilers = cpu.compilersPercent();
            shares.add(String.format("%.1f%%", compilers));
        } while (compilers >= COMPILERS_SETTLED_PERCENT && shares.size() < MAX_SETTLING_ROUNDS);
        System.out.printf("%-12s %d more rounds until the JIT compilers took under %.0f%% of the CPU: %s%s%n", "warm-up", shares.size(),
                COMPILERS_SETTLED_PERCENT, String.join(", ", shares), compilers < COMPILERS_SETTLED_PERCENT ? "" : " (not settled)");
    }

    /** One round of {@code load} on each path, unmeasured but for the CPU time. */
    private static void readEachPath(Load load, Paths paths, CpuMeter cpu) throws Exception {
        for (Reader path : List.of(paths.direct(), paths.service(), paths.platform())) {
            cpu.read(load, path);
        }
    }

    /** How the streams of one round are started. */
    @FunctionalInterface
    interface Load {
        List<Stream> read(Reader reader) throws Exception;

        /** {@code n} streams started at the same instant: the platform absorbs n call set-ups at once. */
        static Load burst(int n) {
            return reader -> readers(n, i -> List.of(reader.read()));
        }

        /**
         * {@code n} streams open at all times, as a model server under steady use sees them: each of n
         * readers starts its next stream as soon as its last one has ended, the first ones spread evenly
         * over one stream's length so that the starts do not come in waves. Only the streams that start
         * while all n readers are busy count: each reader's first and last are left out.
         */
        static Load sustained(int n, Duration streamLength) {
            return reader -> readers(n, i -> {
                Thread.sleep(streamLength.multipliedBy(i).dividedBy(n));
                List<Stream> counted = new ArrayList<>();
                reader.read();
                for (int s = 0; s < SUSTAINED_STREAMS; s++) {
                    counted.add(reader.read());
                }
                reader.read();
                return counted;
            });
        }
    }

    @FunctionalInterface
    interface ReaderTask {
        List<Stream> run(int reader) throws Exception;
    }

    /** Runs {@code n} readers, each on its own virtual thread, and gathers the streams they count. */
    private static List<Stream> readers(int n, ReaderTask task) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Stream>>> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int reader = i;
                running.add(threads.submit(() -> task.run(reader)));
            }
            List<Stream> done = new ArrayList<>();
            for (Future<List<Stream>> each : running) {
                done.addAll(each.get(5, TimeUnit.MINUTES));
            }
            return done;
        }
    }

    /** Straight from the model server, as the llm service itself reads it. */
    private static Stream direct(HttpClient http, FakeModelServer model) {
        String body = "{\"model\":\"sea-lion-v3\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":256}";
        HttpRequest request = HttpRequest.newBuilder(model.url().resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        Timing timing = new Timing(start);
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:") && line.contains("\"content\":\"ក\"")) {
                        timing.token();
                    }
                }
            }
            return timing.stream(TOKENS);
        } catch (Exception e) {
            return Stream.failed(e.toString());
        }
    }

    /**
     * Over gRPC with a token: through the platform at the gateway's edge (its token check and audit, then
     * the llm service's), or at the llm service's own port.
     */
    private static Stream overGrpc(Channel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        ChatRequest request = ChatRequest.newBuilder().setModel("sealion")
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent(QUESTION)).build();
        Timing timing = new Timing(System.nanoTime());
        CompletableFuture<Stream> read = new CompletableFuture<>();
        ChatServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(2, TimeUnit.MINUTES).streamChat(request, new StreamObserver<>() {
                    private boolean ended;

                    @Override
                    public void onNext(ChatChunk chunk) {
                        if (chunk.hasEnd()) {
                            ended = true;
                        } else {
                            timing.token();
                        }
                    }

                    @Override
                    public void onError(Throwable failure) {
                        read.complete(Stream.failed(failure.toString()));
                    }

                    @Override
                    public void onCompleted() {
                        read.complete(ended ? timing.stream(TOKENS) : Stream.failed("no end frame"));
                    }
                });
        return read.join();
    }

    /** The times at which one stream's tokens arrived. */
    private static final class Timing {
        private final long start;
        private long first;
        private long last;
        private int tokens;

        Timing(long start) {
            this.start = start;
        }

        void token() {
            long now = System.nanoTime();
            if (tokens == 0) {
                first = now;
            }
            last = now;
            tokens++;
        }

        Stream stream(int expected) {
            return tokens != expected ? Stream.failed(tokens + " tokens of " + expected)
                    : new Stream(first - start, tokens > 1 ? (double) (last - first) / (tokens - 1) : 0, null);
        }
    }

    private static long failed(List<Stream> streams) {
        return streams.stream().filter(Stream::failed).count();
    }

    private static double[] millis(List<Stream> streams, boolean firstToken) {
        return streams.stream().filter(s -> !s.failed())
                .mapToDouble(s -> (firstToken ? s.firstTokenNanos() : s.meanGapNanos()) / 1e6).sorted().toArray();
    }

    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
