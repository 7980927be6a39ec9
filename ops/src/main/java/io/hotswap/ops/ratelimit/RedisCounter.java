package io.hotswap.ops.ratelimit;

import org.redisson.api.RAtomicLong;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts in Redis: every node sharing the Redis shares the limit. When Redis does not answer within {@link #WAIT},
 * this node counts alone (as it would without Redis) for {@link #ALONE_FOR} before it asks Redis again, so an outage
 * costs one slow request every few seconds rather than failing or slowing every request.
 */
public class RedisCounter implements FixedWindowRateLimiter.Counter {

    static final Duration WAIT = Duration.ofMillis(500);
    static final Duration ALONE_FOR = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(RedisCounter.class);

    private final RedissonClient redis;
    private final FixedWindowRateLimiter.Counter alone;
    private final Clock clock;
    private volatile long aloneUntil;

    public RedisCounter(RedissonClient redis, FixedWindowRateLimiter.Counter alone, Clock clock) {
        this.redis = redis;
        this.alone = alone;
        this.clock = clock;
    }

    /**
     * One round trip the request waits for. The window's first hit also sets the key's expiry, without waiting for
     * the answer: the count is all the decision needs (a Lua script doing both measured slower through Redisson).
     */
    @Override
    public long increment(String key, Duration expiresAfter) {
        if (clock.millis() < aloneUntil) return alone.increment(key, expiresAfter);
        RAtomicLong count = redis.getAtomicLong(key);
        try {
            long hits = count.incrementAndGetAsync().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (hits == 1) count.expireAsync(expiresAfter);
            return hits;
        } catch (ExecutionException | TimeoutException e) {
            aloneUntil = clock.millis() + ALONE_FOR.toMillis();
            log.warn("Redis did not answer the rate-limit count ({}); this node counts alone for the next {} s",
                    e instanceof ExecutionException ? e.getCause() : "no answer within " + WAIT.toMillis() + " ms",
                    ALONE_FOR.toSeconds());
            return alone.increment(key, expiresAfter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return alone.increment(key, expiresAfter);
        }
    }
}
