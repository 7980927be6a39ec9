package io.hotswap.ops.cluster;

import io.hotswap.ops.support.CuttableProxy;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The machine's real Redis behind a link that is cut mid-test: reads keep working, writes that need a lock answer 503
 * with Retry-After and change nothing, /health says which component is down, and all of it recovers with the link.
 */
class RedisOutageTest extends ServerTest {

    private static CuttableProxy link;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        link = CuttableProxy.to(TestRedis.ADDRESS);
        registry.add("ConnectionStrings.Redis", link::address);
    }

    @AfterAll
    static void closeLink() throws Exception {
        link.close();
    }

    @Test
    void readsGoOnWritesAnswer503AndEverythingRecoversWhenRedisComesBack() throws Exception {
        assertThat(http.postJson("/api/v1/tenants", admin, tenantJson("before-outage", "before-outage")).status()).isEqualTo(201);
        awaitProjections();
        long events = storedEvents();

        link.cut();

        long started = System.nanoTime();
        Http.Response read = http.get("/api/v1/tenants/before-outage", admin);
        Duration readTook = Duration.ofNanos(System.nanoTime() - started);
        started = System.nanoTime();
        Http.Response again = http.get("/api/v1/tenants/before-outage", admin);
        Duration againTook = Duration.ofNanos(System.nanoTime() - started);
        Http.Response write = http.postJson("/api/v1/tenants", admin, tenantJson("during-outage", "during-outage"));
        Http.Response health = http.get("/health", null);

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(readTook).as("the rate limit's and the cache's Redis calls give up quickly").isLessThan(Duration.ofSeconds(2));
        assertThat(again.status()).isEqualTo(200);
        assertThat(againTook).as("and are not asked again for a few seconds").isLessThan(Duration.ofMillis(500));
        assertThat(write.status()).as(write.toString()).isEqualTo(503);
        assertThat(write.header("Retry-After")).isNotBlank();
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().at("/components/redis/status").asText()).isEqualTo("DOWN");
        assertThat(storedEvents()).isEqualTo(events);

        link.restore();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.postJson("/api/v1/tenants", admin, tenantJson("after-outage", "after-outage")).status()).isEqualTo(201));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http.get("/health", null).json().at("/components/redis/status").asText()).isEqualTo("UP"));
    }
}
