package io.hotswap.ops.cache;

import io.hotswap.query.ReadModelCache;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** The read-model cache in Redis: every node reads what any node's projections evicted. */
public class RedisCacheStore implements ReadModelCache.Store {

    private final RedissonClient redis;

    public RedisCacheStore(RedissonClient redis) {
        this.redis = redis;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(redis.<String>getBucket(key, StringCodec.INSTANCE).get());
    }

    /** In one round trip: a projection batch evicts many keys at once. */
    @Override
    public void put(Collection<String> keys, String value, Duration timeToLive) {
        RBatch batch = redis.createBatch();
        keys.forEach(key -> batch.<String>getBucket(key, StringCodec.INSTANCE).setAsync(value, timeToLive));
        batch.execute();
    }

    @Override
    public void putIfAbsent(String key, String value, Duration timeToLive) {
        redis.<String>getBucket(key, StringCodec.INSTANCE).setIfAbsent(value, timeToLive);
    }

    @Override
    public void deleteByPrefix(String prefix) {
        redis.getKeys().deleteByPattern(prefix + "*");
    }
}
