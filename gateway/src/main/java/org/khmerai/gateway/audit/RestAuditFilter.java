package org.khmerai.gateway.audit;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Content;
import org.khmerai.audit.v1.Edge;
import org.khmerai.platform.audit.AuditEvents;
import org.khmerai.platform.audit.AuditPublisher;
import org.khmerai.platform.audit.UuidV7;
import org.khmerai.platform.error.PlatformError;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Publishes one audit event for every call to the REST API, accepted or rejected. It runs before
 * the size limit and the token check, so that 413s, 401s and 403s are recorded too. An exchange
 * answered as an event stream is recorded when its stream ends.
 */
public final class RestAuditFilter extends OncePerRequestFilter {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private final AuditPublisher publisher;
    private final Clock clock;

    public RestAuditFilter(AuditPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant start = clock.instant();
        long startNanos = System.nanoTime();
        AuditedExchange exchange = new AuditedExchange(UuidV7.at(start).toString());
        exchange.attachTo(request);
        response.setHeader(REQUEST_ID_HEADER, exchange.requestId());
        CountingResponse counting = new CountingResponse(response);
        try {
            chain.doFilter(request, counting);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent done) {
                        publisher.publish(event(request, counting, exchange, start, startNanos));
                    }

                    @Override
                    public void onTimeout(AsyncEvent timedOut) {
                    }

                    @Override
                    public void onError(AsyncEvent failed) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent started) {
                    }
                });
            } else {
                publisher.publish(event(request, counting, exchange, start, startNanos));
            }
        }
    }

    private static AuditEvent event(HttpServletRequest request, CountingResponse response, AuditedExchange exchange,
                                    Instant start, long startNanos) {
        int httpStatus = response.getStatus();
        PlatformError error = exchange.error().orElse(httpStatus >= 400 ? PlatformError.INTERNAL : null);
        AuditEvent.Builder event = AuditEvents.begin(start, "gateway", Edge.EDGE_REST)
                .setMethod(exchange.method().orElse(request.getMethod() + " " + request.getRequestURI()))
                .setHttpStatus(httpStatus)
                .setStatus(error == null ? "OK" : error.grpcCode().name())
                .setLatencyMicros((System.nanoTime() - startNanos) / 1_000)
                .setRequestBytes(Math.max(request.getContentLengthLong(), exchange.input().map(Content::getLength).orElse(0L)))
                .setResponseBytes(response.bytesWritten())
                .setRequestId(exchange.requestId());
        exchange.input().ifPresent(event::setInput);
        if (error != null) {
            event.setErrorCode(error.code());
        }
        return AuditEvents.attribute(event, exchange.caller()).build();
    }

    /** Counts the bytes of the response body for the audit record. */
    private static final class CountingResponse extends HttpServletResponseWrapper {

        private long bytes;
        private ServletOutputStream stream;

        CountingResponse(HttpServletResponse response) {
            super(response);
        }

        long bytesWritten() {
            return bytes;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                ServletOutputStream target = super.getOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        target.write(b);
                        bytes++;
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        target.write(b, off, len);
                        bytes += len;
                    }

                    @Override
                    public void flush() throws IOException {
                        target.flush();
                    }

                    @Override
                    public boolean isReady() {
                        return target.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        target.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
