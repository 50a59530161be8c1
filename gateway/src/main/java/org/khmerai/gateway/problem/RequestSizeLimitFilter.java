package org.khmerai.gateway.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.khmerai.platform.error.PlatformError;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns away a body whose declared length is over the limit before anything reads it. Bodies sent
 * without a length are measured as the transcoder reads them, against the same limit.
 */
public final class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final Problems problems;

    public RequestSizeLimitFilter(long maxBytes, Problems problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            problems.write(request, response, PlatformError.PAYLOAD_TOO_LARGE,
                    "the body has " + request.getContentLengthLong() + " bytes; at most " + maxBytes + " are accepted");
            return;
        }
        chain.doFilter(request, response);
    }
}
