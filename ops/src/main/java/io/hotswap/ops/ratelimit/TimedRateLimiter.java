package io.hotswap.ops.ratelimit;

import io.hotswap.rest.security.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Times every check as {@code hotswap_ratelimit_check_seconds{store}} (p50, p99 and max over the last minutes, and
 * histogram buckets for any other window): each API request waits for it, and with Redis it is a network round trip.
 */
public class TimedRateLimiter implements RateLimiter {

    /** The p99 the check should stay under with Redis (README, Benchmarks). */
    static final Duration TARGET = Duration.ofMillis(5);

    private final RateLimiter limiter;
    private final Timer timer;

    public TimedRateLimiter(RateLimiter limiter, String store, MeterRegistry metrics) {
        this.limiter = limiter;
        this.timer = Timer.builder("hotswap.ratelimit.check")
                .description("Time to decide whether a request is within its principal's limit")
                .tag("store", store)
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .serviceLevelObjectives(TARGET) // a bucket edge exactly at the target
                .register(metrics);
    }

    @Override
    public Decision acquire(String principal) {
        return timer.record(() -> limiter.acquire(principal));
    }
}
