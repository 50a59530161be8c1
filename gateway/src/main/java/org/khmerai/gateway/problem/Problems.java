package org.khmerai.gateway.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.khmerai.gateway.audit.AuditedExchange;
import org.khmerai.platform.error.PlatformError;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every REST error as {@code application/problem+json} (RFC 9457): a stable {@code code}, a title in
 * Khmer or English by {@code Accept-Language}, and the specific detail in English.
 */
@Component
public class Problems {

    private final JsonMapper json;

    public Problems(JsonMapper json) {
        this.json = json;
    }

    /** For handlers: the problem as a response. */
    public ServerResponse response(HttpServletRequest request, PlatformError error, String detail) {
        return ServerResponse.status(error.httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(request, error, detail));
    }

    /** For filters and security handlers, which answer before any handler runs. */
    public void write(HttpServletRequest request, HttpServletResponse response, PlatformError error, String detail)
            throws IOException {
        response.setStatus(error.httpStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem(request, error, detail)));
    }

    /** For a stream that is already under way: the problem as the JSON of its last event. */
    public String json(HttpServletRequest request, PlatformError error, String detail) {
        return json.writeValueAsString(problem(request, error, detail));
    }

    private static ProblemDetail problem(HttpServletRequest request, PlatformError error, String detail) {
        AuditedExchange.of(request).ifPresent(exchange -> exchange.error(error));
        Locale locale = request.getLocale();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(error.httpStatus()), detail);
        problem.setType(URI.create("urn:khmer-ai:problem:" + error.code()));
        problem.setTitle(error.title(locale));
        problem.setInstance(URI.create(request.getRequestURI()));
        problem.setProperty("code", error.code());
        AuditedExchange.of(request).ifPresent(exchange -> problem.setProperty("requestId", exchange.requestId()));
        return problem;
    }
}
