package io.hotswap.rest.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.rest.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;

/**
 * Answers 429 with {@code Retry-After} once an authenticated principal has used its requests for the minute. Runs
 * after authentication (the limit is per principal); requests without a valid token never get this far.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;
    private final ObjectMapper mapper;

    public RateLimitFilter(RateLimiter limiter, ObjectMapper mapper) {
        this.limiter = limiter;
        this.mapper = mapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated() && request.getRequestURI().startsWith("/api/")) {
            RateLimiter.Decision decision = limiter.acquire(authentication.getName());
            if (!decision.allowed()) {
                ProblemDetail problem = ProblemResponses.problem(429, "rate-limited", "'" + authentication.getName()
                        + "' has used its " + decision.limit() + " requests for this minute; try again in "
                        + decision.retryAfterSeconds() + " s");
                Map.of("limit", decision.limit(), "retryAfterSeconds", decision.retryAfterSeconds())
                        .forEach(problem::setProperty);
                response.setStatus(429);
                response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                mapper.writeValue(response.getOutputStream(), problem);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
