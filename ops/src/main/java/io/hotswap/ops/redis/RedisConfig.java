package io.hotswap.ops.redis;

import io.hotswap.ops.config.HotSwapProperties;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one Redis client, when {@code ConnectionStrings.Redis} ({@code REDIS_CONNECTION_STRING}) is set: the rate limit,
 * the cluster-wide locks and the read-model cache share it, and each falls back to this JVM alone without it.
 */
@Configuration
public class RedisConfig {

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
}
