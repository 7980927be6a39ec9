package io.hotswap.ops.ratelimit;

import io.hotswap.api.security.RateLimiter;
import io.hotswap.ops.config.HotSwapProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Redis when {@code REDIS_CONNECTION_STRING} is set (every node shares the limit), otherwise counts in this JVM.
 * {@code RateLimiting.Enabled=false} lets everything through.
 */
@Configuration
public class RateLimitConfig {

    static final String REDIS_CONFIGURED = "!'${ConnectionStrings.Redis:}'.isBlank()";

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnExpression(REDIS_CONFIGURED)
    RedissonClient redisson(HotSwapProperties properties) {
        return Redisson.create(RedisConnectionStrings.parse(properties.connectionStrings().redis()));
    }

    @Bean
    @ConditionalOnExpression(REDIS_CONFIGURED)
    HealthIndicator redisHealthIndicator(RedissonClient redis) {
        // bounded like the S3 and Kafka indicators: Redisson's own timeouts and retries would hold /health for seconds
        return () -> {
            try {
                redis.getBucket("hotswap:health").isExistsAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);
                return Health.up().build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down(e).build();
            } catch (ExecutionException e) {
                return Health.down(e.getCause()).build();
            } catch (TimeoutException e) {
                return Health.down().withDetail("error", "Redis did not answer within 2 s").build();
            }
        };
    }

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
