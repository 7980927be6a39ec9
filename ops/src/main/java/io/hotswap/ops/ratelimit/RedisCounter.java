package io.hotswap.ops.ratelimit;

import org.redisson.api.RAtomicLong;
import org.redisson.api.RedissonClient;

import java.time.Duration;

/** Counts in Redis: every node sharing the Redis shares the limit. */
public class RedisCounter implements FixedWindowRateLimiter.Counter {

    private final RedissonClient redis;

    public RedisCounter(RedissonClient redis) {
        this.redis = redis;
    }

    /**
     * One round trip the request waits for. The window's first hit also sets the key's expiry, without waiting for
     * the answer: the count is all the decision needs (a Lua script doing both measured slower through Redisson).
     */
    @Override
    public long increment(String key, Duration expiresAfter) {
        RAtomicLong count = redis.getAtomicLong(key);
        long hits = count.incrementAndGet();
        if (hits == 1) count.expireAsync(expiresAfter);
        return hits;
    }
}
