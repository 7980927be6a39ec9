package io.hotswap.ops.ratelimit;

import io.hotswap.rest.security.RateLimiter;

import java.time.Clock;
import java.time.Duration;

/**
 * At most {@code perMinute} requests per principal in each clock minute. The count lives in a {@link Counter}: in
 * this JVM for a single node, in Redis when several nodes share the limit.
 */
public class FixedWindowRateLimiter implements RateLimiter {

    /** Counts hits of one key that expires once its minute is over. */
    public interface Counter {
        long increment(String key, Duration expiresAfter);
    }

    private final Counter counter;
    private final long perMinute;
    private final Clock clock;

    public FixedWindowRateLimiter(Counter counter, long perMinute, Clock clock) {
        this.counter = counter;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    @Override
    public Decision acquire(String principal) {
        long now = clock.millis();
        long minute = now / 60_000;
        long secondsLeft = Math.max(1, (60_000 - now % 60_000 + 999) / 1000);
        long count = counter.increment("hotswap:rate:" + principal + ":" + minute, Duration.ofSeconds(secondsLeft + 1));
        return new Decision(count <= perMinute, perMinute, count <= perMinute ? 0 : secondsLeft);
    }
}
