package org.khmerai.infrastructure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A model server that speaks the OpenAI-compatible chat API over real HTTP exactly as vLLM does
 * ({@code data:} events of {@code chat.completion.chunk} JSON, a finish reason, a usage event for
 * {@code stream_options.include_usage}, then {@code data: [DONE]}), and its completions API the same way
 * ({@code text_completion} events, each piece in {@code text}), one token per fixed delay, and
 * misbehaves on demand. For tests and the chat-relay benchmark: the platform's model-backed services
 * are tested against it, since real model servers need GPUs and weights this machine does not have.
 */
public final class FakeModelServer implements AutoCloseable {

    public enum Behaviour {
        ANSWER, TOO_MANY_REQUESTS, SERVER_ERROR, BAD_REQUEST, INVALID_JSON, CUT_BEFORE_FINAL, HANG
    }

    /** Connections waiting to be accepted, as many as vLLM's server (uvicorn) queues: a burst of new calls is not refused. */
    private static final int BACKLOG = 2_048;

    private final HttpServer server;
    private final Chunks chatChunks;
    private final Chunks textChunks;
    public volatile Behaviour behaviour = Behaviour.ANSWER;
    public volatile List<String> tokens = List.of("សួស្តី", " ខ្ញុំ", "អាច", "ជួយ", "អ្នក", "បាន", "។");
    /** The tokens of the answer to a request's JSON body: {@link #tokens} unless a test answers by the question. */
    public volatile Function<String, List<String>> answers = body -> tokens;
    public volatile Duration firstTokenDelay = Duration.ZERO;
    public volatile Duration perToken = Duration.ZERO;
    /**
     * How long the body's last bytes (the end of its chunked encoding) come after {@code [DONE]}: vLLM's
     * server writes them separately, so a client may read {@code [DONE]} well before them.
     */
    public volatile Duration bodyEndDelay = Duration.ZERO;
    public final AtomicInteger requests = new AtomicInteger();
    /** The client ends (address and port) of the connections calls came on: one per connection. */
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
    /** How many request bodies {@link #received()} keeps: a benchmark's hundred thousand calls must not fill the heap. */
    private static final int RECEIVED_KEPT = 1_000;
    private final Deque<String> received = new ArrayDeque<>();
    /** Counted down when a client goes away in the middle of a stream. */
    public final CountDownLatch clientGone = new CountDownLatch(1);

    static {
        // each event is sent the moment it is written, as vLLM's server (uvicorn) sends it; the JDK's
        // HttpServer otherwise holds a small write back until the previous one is acknowledged (Nagle)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // and keeps the idle connections of a benchmark's 200 readers on each of its paths, where the
        // JDK's HttpServer closes all but 200
        System.setProperty("sun.net.httpserver.maxIdleConnections", "1000");
    }

    public FakeModelServer(String model) throws IOException {
        this(model, null);
    }

    /** @param tls the server's certificate and key, for a server reached over https; null for plain http */
    public FakeModelServer(String model, SSLContext tls) throws IOException {
        chatChunks = new ChatChunks(model);
        textChunks = new TextChunks(model);
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> answer(exchange, true));
        server.createContext("/v1/completions", exchange -> answer(exchange, false));
        server.createContext("/v1/models", exchange -> respond(exchange, 200,
                "{\"object\":\"list\",\"data\":[{\"id\":\"" + model + "\",\"object\":\"model\",\"owned_by\":\"vllm\"}]}"));
        server.start();
    }

    /** A started server, for field initialisers. */
    public static FakeModelServer serving(String model) {
        try {
            return new FakeModelServer(model);
        } catch (IOException e) {
            throw new UncheckedIOException("the fake model server did not start", e);
        }
    }

    public URI url() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @param chat whether the call came to the chat endpoint, else to the completions endpoint */
    private void answer(HttpExchange exchange, boolean chat) throws IOException {
        requests.incrementAndGet();
        connections.add(exchange.getRemoteAddress());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (received) {
            if (received.size() == RECEIVED_KEPT) {
                received.removeFirst();
            }
            received.addLast(body);
        }
        switch (behaviour) {
            case TOO_MANY_REQUESTS -> respond(exchange, 429, error("Too many requests", 429));
            case SERVER_ERROR -> respond(exchange, 500, error("CUDA out of memory", 500));
            case BAD_REQUEST -> respond(exchange, 400, error("This model's maximum context length is 4096 tokens.", 400));
            case HANG -> hang(exchange);
            default -> stream(exchange, body, chat);
        }
    }

    private void stream(HttpExchange exchange, String body, boolean chat) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        Chunks chunks = chat ? chatChunks : textChunks;
        try (OutputStream out = exchange.getResponseBody()) {
            if (chunks.opening() != null) {
                event(out, chunks.opening());
            }
            if (behaviour == Behaviour.INVALID_JSON) {
                event(out, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":");
                return;
            }
            sleep(firstTokenDelay);
            List<String> answer = answers.apply(body);
            for (int i = 0; i < answer.size(); i++) {
                if (i > 0) {
                    sleep(perToken);
                }
                event(out, chunks.piece(answer.get(i)));
            }
            if (behaviour == Behaviour.CUT_BEFORE_FINAL) {
                return; // the connection closes with neither finish reason, usage nor [DONE]
            }
            event(out, chunks.finish("stop"));
            int prompt = promptTokens(body);
            event(out, chunks.head + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"total_tokens\":" + (prompt + answer.size())
                    + ",\"completion_tokens\":" + answer.size() + "}}");
            event(out, "[DONE]");
            sleep(bodyEndDelay);
        } catch (IOException clientWentAway) {
            clientGone.countDown();
        }
    }

    /** Answers nothing until the client gives up; notices when it does. */
    private void hang(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 600; i++) {
                sleep(Duration.ofMillis(100));
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8)); // an SSE comment: no token
                out.flush();
            }
        } catch (IOException clientWentAway) {
            clientGone.countDown();
        }
    }

    /** The events of an answer, in the JSON of the endpoint it was asked of. */
    private abstract static class Chunks {

        /** The event's fields up to its choices, the same in every event of a server. */
        final String head;

        Chunks(String head) {
            this.head = head;
        }

        /** The event before the first piece: vLLM's chat endpoint names the role in it; null where none comes. */
        abstract String opening();

        abstract String piece(String text);

        abstract String finish(String reason);
    }

    private static final class ChatChunks extends Chunks {

        ChatChunks(String model) {
            super("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732350000,\"model\":\"" + model + "\",");
        }

        @Override
        String opening() {
            return chunk("{\"role\":\"assistant\",\"content\":\"\"}", null);
        }

        @Override
        String piece(String text) {
            return chunk("{\"content\":" + jsonString(text) + "}", null);
        }

        @Override
        String finish(String reason) {
            return chunk("{}", "\"" + reason + "\"");
        }

        private String chunk(String delta, String finishReason) {
            return head + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason
                    + (finishReason == null ? "" : ",\"stop_reason\":null") + "}],\"usage\":null}";
        }
    }

    private static final class TextChunks extends Chunks {

        TextChunks(String model) {
            super("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1732350000,\"model\":\"" + model + "\",");
        }

        @Override
        String opening() {
            return null;
        }

        @Override
        String piece(String text) {
            return head + "\"choices\":[{\"index\":0,\"text\":" + jsonString(text)
                    + ",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}],\"usage\":null}";
        }

        @Override
        String finish(String reason) {
            return head + "\"choices\":[{\"index\":0,\"text\":\"\",\"logprobs\":null,\"finish_reason\":\"" + reason
                    + "\",\"stop_reason\":null}],\"usage\":null}";
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A stand-in for the tokenizer: a token for every four characters of the request. */
    private static int promptTokens(String request) {
        return Math.max(1, request.length() / 4);
    }

    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> json.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return json.append('"').toString();
    }

    private static String error(String message, int code) {
        return "{\"object\":\"error\",\"message\":\"" + message + "\",\"type\":\"BadRequestError\",\"param\":null,\"code\":" + code + "}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Waits {@code duration}; a zero one not at all (a virtual thread's sleep of zero gives up its carrier). */
    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The JSON bodies of the last 1,000 chat requests, oldest first, as they came. */
    public List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many connections chat calls have come on: fewer than the calls where clients keep connections open. */
    public int connectionsUsed() {
        return connections.size();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
