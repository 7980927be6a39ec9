package io.hotswap.ops.ratelimit;

import io.hotswap.ops.support.CuttableProxy;
import io.hotswap.ops.support.ManualClock;
import io.hotswap.ops.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Against the machine's real Redis ({@code HOTSWAP_TEST_REDIS}). */
class RedisCounterTest {

    private static final RedissonClient REDIS = TestRedis.client();
    private static final Duration MINUTE = Duration.ofSeconds(60);

    @AfterAll
    static void closeRedis() {
        REDIS.shutdown();
    }

    @Test
    void countsAndTheWindowsFirstHitSetsItsExpiry() {
        RedisCounter counter = new RedisCounter(REDIS, new InProcessCounter(Clock.systemUTC()), Clock.systemUTC());
        String key = "hotswap:test:counter:" + UUID.randomUUID();

        assertThat(counter.increment(key, Duration.ofSeconds(60))).isEqualTo(1);
        // the expiry is set without waiting for it
        long ttl = await().atMost(Duration.ofSeconds(2)).until(() -> REDIS.getBucket(key).remainTimeToLive(), t -> t > 0);
        assertThat(counter.increment(key, Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(counter.increment(key, Duration.ofSeconds(60))).isEqualTo(3);

        assertThat(ttl).isBetween(50_000L, 60_000L);
        assertThat(REDIS.getBucket(key).remainTimeToLive()).as("later hits leave the expiry alone").isLessThanOrEqualTo(ttl);
    }

    @Test
    void whileRedisDoesNotAnswerTheNodeCountsAloneAndAsksRedisAgainAFewSecondsLater() throws Exception {
        ManualClock clock = new ManualClock();
        String key = "hotswap:test:counter:" + UUID.randomUUID();
        String seeded = key + ":seeded";
        REDIS.getAtomicLong(seeded).set(41);
        REDIS.getAtomicLong(seeded).expire(MINUTE);
        try (CuttableProxy link = CuttableProxy.to(TestRedis.ADDRESS)) {
            RedissonClient proxied = TestRedis.client(link.address());
            try {
                RedisCounter counter = new RedisCounter(proxied, new InProcessCounter(clock), clock);
                assertThat(counter.increment(key, MINUTE)).isEqualTo(1);

                link.cut();
                long started = System.nanoTime();
                assertThat(counter.increment(key, MINUTE)).as("the first count on this node alone").isEqualTo(1);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RedisCounter.WAIT.plusMillis(500));
                assertThat(counter.increment(key, MINUTE)).isEqualTo(2);

                link.restore();
                assertThat(counter.increment(seeded, MINUTE)).as("Redis, though back, is not asked again yet")
                        .isEqualTo(1);
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    clock.advance(RedisCounter.ALONE_FOR.plusSeconds(1));
                    return counter.increment(seeded, MINUTE) > 41;
                });
            } finally {
                proxied.shutdown();
            }
        }
    }
}
