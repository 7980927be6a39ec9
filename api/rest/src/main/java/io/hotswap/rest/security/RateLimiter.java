package io.hotswap.rest.security;

/** Counts a principal's requests against {@code RateLimiting.DefaultRequestsPerMinute}. */
public interface RateLimiter {

    /** Whether the request may go on; if not, in how many seconds the principal may try again. */
    record Decision(boolean allowed, long limit, long retryAfterSeconds) {
    }

    Decision acquire(String principal);
}
