package io.hotswap.ops.cache;

import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelCache;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Hot read-model lookups cached in Redis when {@code REDIS_CONNECTION_STRING} is set, in this JVM otherwise. */
@Configuration
public class ReadModelCacheConfig {

    @Bean
    ReadModelCache readModelCache(ObjectProvider<RedissonClient> redis, JsonColumns json) {
        RedissonClient shared = redis.getIfAvailable();
        return new ReadModelCache(shared != null ? new RedisCacheStore(shared) : new InProcessCacheStore(Clock.systemUTC()), json,
                Clock.systemUTC());
    }
}
