package io.hotswap.ops.ratelimit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Against the machine's real Redis ({@code HOTSWAP_TEST_REDIS}). */
class RedisCounterTest {

    private static final RedissonClient REDIS = Redisson.create(RedisConnectionStrings.parse(
            System.getenv().getOrDefault("HOTSWAP_TEST_REDIS", "127.0.0.1:6379")));

    @AfterAll
    static void closeRedis() {
        REDIS.shutdown();
    }

    @Test
    void countsAndTheWindowsFirstHitSetsItsExpiry() {
        RedisCounter counter = new RedisCounter(REDIS);
        String key = "hotswap:test:counter:" + UUID.randomUUID();

        assertThat(counter.increment(key, Duration.ofSeconds(60))).isEqualTo(1);
        // the expiry is set without waiting for it
        long ttl = await().atMost(Duration.ofSeconds(2)).until(() -> REDIS.getBucket(key).remainTimeToLive(), t -> t > 0);
        assertThat(counter.increment(key, Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(counter.increment(key, Duration.ofSeconds(60))).isEqualTo(3);

        assertThat(ttl).isBetween(50_000L, 60_000L);
        assertThat(REDIS.getBucket(key).remainTimeToLive()).as("later hits leave the expiry alone").isLessThanOrEqualTo(ttl);
    }
}
