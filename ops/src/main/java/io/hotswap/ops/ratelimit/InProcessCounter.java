package io.hotswap.ops.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts in this JVM: the rate limit of a single node. Expired keys are dropped as new ones come. */
public class InProcessCounter implements FixedWindowRateLimiter.Counter {

    private record Count(AtomicLong hits, long expiresAt) {
    }

    private final Map<String, Count> counts = new ConcurrentHashMap<>();
    private final Clock clock;

    public InProcessCounter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long increment(String key, Duration expiresAfter) {
        long now = clock.millis();
        Count count = counts.computeIfAbsent(key, k -> {
            counts.values().removeIf(c -> c.expiresAt() < now);
            return new Count(new AtomicLong(), now + expiresAfter.toMillis());
        });
        return count.hits().incrementAndGet();
    }
}
