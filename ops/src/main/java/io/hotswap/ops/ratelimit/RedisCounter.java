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

    @Override
    public long increment(String key, Duration expiresAfter) {
        RAtomicLong count = redis.getAtomicLong(key);
        long hits = count.incrementAndGet();
        if (hits == 1) count.expire(expiresAfter);
        return hits;
    }
}
