package io.hotswap.ops.ratelimit;

import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.rest.security.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Redis when {@code REDIS_CONNECTION_STRING} is set (every node shares the limit, see {@link io.hotswap.ops.redis.RedisConfig}),
 * otherwise counts in this JVM.
 * {@code RateLimiting.Enabled=false} lets everything through.
 */
@Configuration
public class RateLimitConfig {

    @Bean
    RateLimiter rateLimiter(HotSwapProperties properties, ObjectProvider<RedissonClient> redis, MeterRegistry metrics) {
        HotSwapProperties.RateLimiting limits = properties.rateLimiting();
        if (!limits.enabled()) return principal -> new RateLimiter.Decision(true, Long.MAX_VALUE, 0);
        RedissonClient shared = redis.getIfAvailable();
        FixedWindowRateLimiter.Counter inProcess = new InProcessCounter(Clock.systemUTC());
        FixedWindowRateLimiter.Counter counter = shared != null ? new RedisCounter(shared, inProcess, Clock.systemUTC())
                : inProcess;
        return new TimedRateLimiter(new FixedWindowRateLimiter(counter, limits.defaultRequestsPerMinute(), Clock.systemUTC()),
                shared != null ? "redis" : "in-process", metrics);
    }
}
