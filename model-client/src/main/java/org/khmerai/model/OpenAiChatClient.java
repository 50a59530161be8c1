package org.khmerai.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.khmerai.model.Outcome.Usage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Talks to one OpenAI-compatible model server: {@code POST /v1/chat/completions} with
 * {@code stream: true} and {@code stream_options.include_usage}, read as server-sent events. An
 * answer counts as finished only when a finish reason and the closing {@code [DONE]} event arrive;
 * a stream that ends otherwise is incomplete, never a success.
 */
public final class OpenAiChatClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ERROR_BODY = 2_048;
    /** How long the rest of a body is read after {@code [DONE]}, at most, to keep its connection. */
    static final Duration BODY_END_WAIT = Duration.ofMillis(100);

    private final HttpClient http;
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().daemon().name("llm-timeouts").factory());

    public OpenAiChatClient() {
        // A call's timers are cancelled when it ends; left queued until they were due (a deadline
        // minutes away), each would keep its call's exchange in the heap until then.
        timers.setRemoveOnCancelPolicy(true);
        // The client's own work (each event handed on to the reading call) done by its selector thread
        // rather than passed to a thread pool per event: nothing it runs waits, and the hand-over cost
        // more CPU than the event.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(Runnable::run).build();
    }

    /** One call's exchange with one server, which the caller may cancel from another thread. */
    public final class Exchange {

        private final AtomicReference<String> abortedBecause = new AtomicReference<>();
        private volatile CompletableFuture<HttpResponse<InputStream>> pending;
        private volatile InputStream body;

        /** Stops the exchange at once: the server's request is cancelled by closing its connection. */
        public void cancel() {
            abort("cancelled");
        }

        private void abort(String why) {
            abortedBecause.compareAndSet(null, why);
            CompletableFuture<HttpResponse<InputStream>> future = pending;
            if (future != null) {
                future.cancel(true);
            }
            closeBody();
        }

        private void closeBody() {
            InputStream stream = body;
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // closing is all we want of it
                }
            }
        }

        /**
         * Reads the body on from {@code [DONE]} to its end, for at most {@link OpenAiChatClient#BODY_END_WAIT}, so that its
         * connection serves the next call: the client closes a connection whose body is closed before its
         * end, and the server writes that end (the last chunk) after {@code [DONE]}, often a moment later.
         * Whatever comes there is not part of the answer.
         */
        private void readToEnd(EventStreamReader events) {
            ScheduledFuture<?> giveUp = timers.schedule(this::closeBody, BODY_END_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                while (events.next() != null) {
                    // after [DONE]: nothing to keep
                }
            } catch (IOException closedOrBroken) {
                // the connection is dropped; the answer stands
            } finally {
                giveUp.cancel(false);
            }
        }

        /**
         * Streams the answer of {@code server} into {@code sink}.
         *
         * @param firstTokenBy when a server that has not begun its answer is given up
         * @param deadline     when the whole call is given up
         */
        public Outcome stream(ModelServer server, ChatCompletion completion, Instant firstTokenBy, Instant deadline, AnswerSink sink) {
            ScheduledFuture<?> firstTokenTimer = schedule(firstTokenBy, () -> abort("no first token within its time"));
            ScheduledFuture<?> deadlineTimer = schedule(deadline, () -> abort("deadline"));
            try {
                return read(server, completion, sink, firstTokenTimer);
            } finally {
                firstTokenTimer.cancel(false);
                deadlineTimer.cancel(false);
            }
        }

        private Outcome read(ModelServer server, ChatCompletion completion, AnswerSink sink, ScheduledFuture<?> firstTokenTimer) {
            HttpResponse<InputStream> response;
            try {
                pending = http.sendAsync(request(server, completion), HttpResponse.BodyHandlers.ofInputStream());
                if (abortedBecause.get() != null) {
                    pending.cancel(true);
                }
                response = pending.get();
            } catch (ExecutionException | CancellationException e) {
                return stopped(server, false, "could not reach it: " + rootMessage(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Cancelled();
            }
            body = response.body();
            if (abortedBecause.get() != null) {
                abort(abortedBecause.get());
            }
            if (response.statusCode() != 200) {
                return refusal(server, response.statusCode(), errorBody(response.body()));
            }
            boolean answering = false;
            String finishReason = null;
            Usage usage = Usage.NONE;
            try (EventStreamReader events = new EventStreamReader(response.body())) {
                EventStreamReader.Data data;
                while ((data = events.next()) != null) {
                    if (data.is("[DONE]")) {
                        readToEnd(events);
                        return finishReason != null ? new Outcome.Finished(server, finishReason, usage)
                                : new Outcome.Incomplete(server, "the stream closed without a finish reason");
                    }
                    CompletionChunk event;
                    try {
                        event = CompletionChunk.parse(data.bytes(), data.offset(), data.length());
                    } catch (JacksonException e) {
                        return stopped(server, answering, "an event is not JSON: " + abbreviated(data.text()));
                    }
                    if (event.failed()) {
                        return stopped(server, answering, "it reported an error: " + event.errorMessage());
                    }
                    String content = event.content();
                    if (!content.isEmpty()) {
                        if (!answering) {
                            answering = true;
                            firstTokenTimer.cancel(false);
                        }
                        sink.delta(content);
                    }
                    if (event.finishReason() != null) {
                        finishReason = event.finishReason();
                    }
                    if (event.usage() != null) {
                        usage = event.usage();
                    }
                }
            } catch (IOException e) {
                return stopped(server, answering, "the stream broke: " + e.getMessage());
            }
            return stopped(server, answering, "the stream ended before its final event");
        }

        /** What an exchange that did not finish comes to: why it was stopped, if it was, and whether the answer had begun. */
        private Outcome stopped(ModelServer server, boolean answering, String why) {
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

        private Outcome refusal(ModelServer server, int status, String body) {
            String why = "HTTP " + status + (body.isBlank() ? "" : ": " + body);
            return status == 400 || status == 422 ? new Outcome.Refused(server, why) : stopped(server, false, why);
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

    private static HttpRequest request(ModelServer server, ChatCompletion completion) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", server.model());
        ArrayNode messages = body.putArray("messages");
        completion.messages().forEach(message -> messages.addObject().put("role", message.role()).put("content", message.content()));
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.put("max_tokens", completion.maxTokens());
        completion.temperature().ifPresent(t -> body.put("temperature", t));
        completion.topP().ifPresent(p -> body.put("top_p", p));
        if (!completion.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            completion.stop().forEach(stop::add);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(server.chatCompletions())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (server.apiKey() != null && !server.apiKey().isBlank()) {
            request.header("Authorization", "Bearer " + server.apiKey());
        }
        return request.build();
    }

    /**
     * The models a server serves ({@code GET /v1/models}), its health check.
     *
     * @throws IOException when it cannot be reached in {@code timeout}, answers other than 200, or not with a model list
     */
    public List<String> models(ModelServer server, Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.models()).timeout(timeout).GET();
        if (server.apiKey() != null && !server.apiKey().isBlank()) {
            request.header("Authorization", "Bearer " + server.apiKey());
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + ": " + abbreviated(errorBody(response.body())));
            }
            JsonNode list;
            try (InputStream body = response.body()) {
                list = JSON.readTree(body).path("data");
            } catch (JacksonException e) {
                throw new IOException("the model list is not JSON: " + e.getOriginalMessage());
            }
            if (!list.isArray()) {
                throw new IOException("the answer holds no model list (\"data\")");
            }
            List<String> ids = new ArrayList<>();
            list.forEach(model -> ids.add(model.path("id").asString("")));
            return ids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String errorBody(InputStream body) {
        try (body) {
            return new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
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
}
