package org.khmerai.model;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.TrustManagerFactory;
import org.khmerai.model.ModelServerConnections.WholeResponse;
import org.khmerai.model.Outcome.Usage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Talks to OpenAI-compatible model servers: {@code POST /v1/chat/completions} (or {@code /v1/completions}
 * for a server of that API) with {@code stream: true} and {@code stream_options.include_usage}, read as
 * server-sent events. An
 * answer counts as finished only when a finish reason and the closing {@code [DONE]} event arrive;
 * a stream that ends otherwise is incomplete, never a success.
 *
 * <p>The answer is read on the connections' event loops ({@link ModelServerConnections}): each event
 * is parsed, and its piece of the answer handed to the call's {@link AnswerSink}, by the thread that
 * read it. The calling thread only waits for the outcome.
 */
public final class OpenAiChatClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ERROR_BODY = 2_048;
    private static final int MAX_MODEL_LIST = 1 << 20;
    /** How long the rest of a body is awaited after {@code [DONE]}, at most, to keep its connection. */
    static final Duration BODY_END_WAIT = Duration.ofMillis(100);
    /** How many threads read the model servers' answers: each does little for a token, and never waits. */
    private static final int READING_THREADS = 2;

    private final ModelServerConnections connections;
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().daemon().name("llm-timeouts").factory());

    /** A client that trusts the https servers whose certificates the JDK's trust store does. */
    public OpenAiChatClient() {
        this(null, ModelServerConnections.IDLE_CLOSE);
    }

    /**
     * @param trust     the certificates of https servers to trust instead of the JDK's trust store's
     * @param idleClose how long a connection is kept unused
     */
    OpenAiChatClient(TrustManagerFactory trust, Duration idleClose) {
        connections = new ModelServerConnections(READING_THREADS, trust, idleClose);
        // A call's timers are cancelled when it ends; left queued until they were due (a deadline
        // minutes away), each would keep its call's exchange in the heap until then.
        timers.setRemoveOnCancelPolicy(true);
    }

    /**
     * One call's exchange with one server, which the caller may cancel from another thread. Once its
     * connection is open, everything that decides its outcome runs on that connection's event loop.
     */
    public final class Exchange {

        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final AtomicReference<String> abortedBecause = new AtomicReference<>();
        private final EventStreamReader events = new EventStreamReader();
        private final Consumer<EventStreamReader.Data> eventHandler = this::event;
        private volatile ModelServer server;
        private volatile Channel connection;
        private volatile boolean answering;
        private AnswerSink sink;
        private ScheduledFuture<?> firstTokenTimer;
        // what the response has brought so far, read and written on the connection's event loop only
        private int status;
        private boolean keepAlive;
        private final ByteArrayOutputStream refusal = new ByteArrayOutputStream();
        private String finishReason;
        private Usage usage = Usage.NONE;
        private io.netty.util.concurrent.ScheduledFuture<?> bodyEndWait;
        private final ResponseListener reader = new ResponseListener() {
            @Override
            public void response(HttpObject part) {
                read(part);
            }

            @Override
            public void broken(Throwable cause) {
                outcome.complete(stopped((status == 0 ? "the connection failed before a response: " : "the stream broke: ")
                        + rootMessage(cause)));
            }
        };

        /** Stops the exchange at once: the server's request is cancelled by closing its connection. */
        public void cancel() {
            abort("cancelled");
        }

        private void abort(String why) {
            abortedBecause.compareAndSet(null, why);
            Channel open = connection;
            if (open == null) {
                if (server != null) {
                    outcome.complete(stopped("stopped before its connection was open"));
                }
            } else if (open.eventLoop().inEventLoop()) {
                abandon(open);
            } else {
                open.eventLoop().execute(() -> abandon(open));
            }
        }

        /** Drops the connection, if its response is still this exchange's, and ends the exchange as stopped. */
        private void abandon(Channel open) {
            connections.abandon(open, reader);
            outcome.complete(stopped("stopped"));
        }

        /**
         * Streams the answer of {@code server} into {@code sink}, which is called on the thread that
         * read each piece, never on two threads at once.
         *
         * @param firstTokenBy when a server that has not begun its answer is given up
         * @param deadline     when the whole call is given up
         */
        public Outcome stream(ModelServer server, ChatCompletion completion, Instant firstTokenBy, Instant deadline, AnswerSink sink) {
            this.sink = sink;
            this.firstTokenTimer = schedule(firstTokenBy, () -> abort("no first token within its time"));
            ScheduledFuture<?> deadlineTimer = schedule(deadline, () -> abort("deadline"));
            this.server = server;
            try {
                if (abortedBecause.get() != null) {
                    return stopped("stopped before it began");
                }
                FullHttpRequest request = chatRequest(server, completion);
                connections.acquire(server.answers()).addListener((Future<Channel> acquired) -> send(acquired, request));
                return outcome.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                return new Outcome.Cancelled();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
            } finally {
                firstTokenTimer.cancel(false);
                deadlineTimer.cancel(false);
            }
        }

        private void send(Future<Channel> acquired, FullHttpRequest request) {
            if (!acquired.isSuccess()) {
                outcome.complete(stopped("could not reach it: " + rootMessage(acquired.cause())));
                return;
            }
            Channel open = acquired.getNow();
            connection = open;
            if (abortedBecause.get() != null || outcome.isDone()) {
                connections.release(open);
                outcome.complete(stopped("stopped before its request was sent"));
                return;
            }
            connections.send(open, request, reader);
        }

        private void read(HttpObject part) {
            if (part instanceof HttpResponse head) {
                status = head.status().code();
                keepAlive = HttpUtil.isKeepAlive(head);
            }
            if (part instanceof HttpContent content) {
                if (status != 200) {
                    ModelServerConnections.keep(content.content(), refusal, MAX_ERROR_BODY);
                } else if (!outcome.isDone()) {
                    readEvents(content.content());
                }
                if (part instanceof LastHttpContent) {
                    bodyEnded();
                }
            }
        }

        private void readEvents(ByteBuf bytes) {
            try {
                events.read(bytes, eventHandler);
            } catch (IOException e) {
                stop("the stream broke: " + e.getMessage());
            }
        }

        private void event(EventStreamReader.Data data) {
            if (outcome.isDone()) {
                return;
            }
            if (data.is("[DONE]")) {
                outcome.complete(finishReason != null ? new Outcome.Finished(server, finishReason, usage)
                        : new Outcome.Incomplete(server, "the stream closed without a finish reason"));
                awaitBodyEnd();
                return;
            }
            CompletionChunk event;
            try {
                event = CompletionChunk.parse(data.bytes(), data.offset(), data.length());
            } catch (JacksonException e) {
                stop("an event is not JSON: " + abbreviated(data.text()));
                return;
            }
            if (event.failed()) {
                stop("it reported an error: " + event.errorMessage());
                return;
            }
            String content = event.content();
            if (!content.isEmpty()) {
                if (!answering) {
                    answering = true;
                    firstTokenTimer.cancel(false);
                }
                try {
                    sink.delta(content);
                } catch (RuntimeException failure) {
                    connections.drop(connection);
                    outcome.completeExceptionally(failure);
                    return;
                }
            }
            if (event.finishReason() != null) {
                finishReason = event.finishReason();
            }
            if (event.usage() != null) {
                usage = event.usage();
            }
        }

        /**
         * Waits a moment, at most {@link OpenAiChatClient#BODY_END_WAIT}, for the end of the body after
         * {@code [DONE]}, so that its connection serves the next call: the server writes that end (the
         * last chunk) after {@code [DONE]}, often a moment later. A connection whose body does not end is dropped.
         */
        private void awaitBodyEnd() {
            Channel open = connection;
            bodyEndWait = open.eventLoop().schedule(() -> connections.abandon(open, reader), BODY_END_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void bodyEnded() {
            if (bodyEndWait != null) {
                bodyEndWait.cancel(false);
            }
            connections.ended(connection, keepAlive);
            if (status != 200) {
                outcome.complete(refusal(status, refusal.toString(StandardCharsets.UTF_8).strip()));
                return;
            }
            events.end(eventHandler);
            outcome.complete(stopped("the stream ended before its final event"));
        }

        /** Ends the exchange before its response does, dropping the connection. */
        private void stop(String why) {
            connections.drop(connection);
            outcome.complete(stopped(why));
        }

        /** What an exchange that did not finish comes to: why it was stopped, if it was, and whether the answer had begun. */
        private Outcome stopped(String why) {
            String aborted = abortedBecause.get();
            if ("cancelled".equals(aborted)) {
                return new Outcome.Cancelled();
            }
            if ("deadline".equals(aborted)) {
                return new Outcome.DeadlineExceeded("the call's deadline passed while " + server.name() + " was answering", answering);
            }
            if (answering) {
                return new Outcome.Incomplete(server, why);
            }
            return new Outcome.FailedBeforeAnswer(server, aborted != null ? aborted : why);
        }

        private Outcome refusal(int status, String body) {
            String why = "HTTP " + status + (body.isBlank() ? "" : ": " + body);
            return status == 400 || status == 422 ? new Outcome.Refused(server, why) : stopped(why);
        }

        private ScheduledFuture<?> schedule(Instant at, Runnable task) {
            return timers.schedule(task, Math.max(0, Duration.between(Instant.now(), at).toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    public Exchange exchange() {
        return new Exchange();
    }

    /** How many timers of calls are queued: those of calls still running. */
    int queuedTimers() {
        return timers.getQueue().size();
    }

    private static FullHttpRequest chatRequest(ModelServer server, ChatCompletion completion) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", server.model());
        if (server.api() == ModelServer.Api.COMPLETIONS) {
            body.put("prompt", server.prompt(completion.promptValues()));
        } else {
            ArrayNode messages = body.putArray("messages");
            completion.messages().forEach(message -> messages.addObject().put("role", message.role()).put("content", message.content()));
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.put("max_tokens", completion.maxTokens());
        completion.temperature().ifPresent(t -> body.put("temperature", t));
        completion.topP().ifPresent(p -> body.put("top_p", p));
        if (!completion.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            completion.stop().forEach(stop::add);
        }
        FullHttpRequest request = request(HttpMethod.POST, server.answers(), server, Unpooled.wrappedBuffer(JSON.writeValueAsBytes(body)));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").set(HttpHeaderNames.ACCEPT, "text/event-stream");
        return request;
    }

    private static FullHttpRequest request(HttpMethod method, URI uri, ModelServer server, ByteBuf body) {
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, body);
        request.headers().set(HttpHeaderNames.HOST, uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (server.apiKey() != null && !server.apiKey().isBlank()) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + server.apiKey());
        }
        return request;
    }

    /**
     * The models a server serves ({@code GET /v1/models}), its health check.
     *
     * @throws IOException when it cannot be reached in {@code timeout}, answers other than 200, or not with a model list
     */
    public List<String> models(ModelServer server, Duration timeout) throws IOException {
        CompletableFuture<WholeResponse> exchange = connections.exchange(server.models(),
                request(HttpMethod.GET, server.models(), server, Unpooled.EMPTY_BUFFER), MAX_MODEL_LIST);
        WholeResponse response;
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(false);
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("could not reach it: " + rootMessage(e));
        } catch (InterruptedException e) {
            exchange.cancel(false);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.status() != 200) {
            throw new IOException("HTTP " + response.status() + ": " + abbreviated(text.strip()));
        }
        JsonNode list;
        try {
            list = JSON.readTree(response.body()).path("data");
        } catch (JacksonException e) {
            throw new IOException("the model list is not JSON: " + e.getOriginalMessage());
        }
        if (!list.isArray()) {
            throw new IOException("the answer holds no model list (\"data\")");
        }
        List<String> ids = new ArrayList<>();
        list.forEach(model -> ids.add(model.path("id").asString("")));
        return ids;
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }

    /** Closes the connections and stops the threads that read them. */
    @Override
    public void close() {
        connections.close();
        timers.shutdownNow();
    }
}
