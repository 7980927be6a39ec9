package io.hotswap.ops.ratelimit;

import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestRedis;
import io.hotswap.ops.support.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server instances sharing PostgreSQL and the machine's real Redis ({@code HOTSWAP_TEST_REDIS}, default
 * {@code 127.0.0.1:6379} in the guide's form) share one limit: the 101st request in a minute is refused by either.
 */
class RedisRateLimitTest {


    /** As JWT_SECRET in production: every instance checks tokens with the same key. */
    private static final String SHARED_JWT_SECRET = "a-secret-the-two-instances-share-" + UUID.randomUUID();

    @TempDir
    Path data;

    @Test
    void theHundredAndFirstRequestInAMinuteGets429AcrossBothInstances() {
        String database = TestDatabase.create();
        try (ConfigurableApplicationContext first = start(database, data.resolve("a"));
             ConfigurableApplicationContext second = start(database, data.resolve("b"))) {
            assertThat(second.getEnvironment().getProperty("ConnectionStrings.Redis")).isEqualTo(TestRedis.ADDRESS);
            Http a = TestServers.http(first);
            Http b = TestServers.http(second);
            String token = first.getBean(TokenIssuer.class).issue("shared-" + UUID.randomUUID(),
                    List.of("plugin-publisher"), null, Duration.ofMinutes(5));
            MinuteWindow.awaitRoomInTheCurrentMinute();

            for (int i = 0; i < 100; i++) {
                Http instance = i % 2 == 0 ? a : b;
                assertThat(instance.get("/api/v1/plugins", token).status()).as("request %d", i + 1).isEqualTo(200);
            }

            Http.Response onA = a.get("/api/v1/plugins", token);
            Http.Response onB = b.get("/api/v1/plugins", token);
            assertThat(onA.status()).isEqualTo(429);
            assertThat(onB.status()).isEqualTo(429);
            assertThat(onB.header("Retry-After")).isNotBlank();
            assertThat(TestServers.http(first).get("/health", null).json().at("/components/redis/status").asText())
                    .isEqualTo("UP");
            assertThat(first.getBean(MeterRegistry.class).get("hotswap.ratelimit.check").tag("store", "redis").timer()
                    .count()).as("every check on the first instance timed").isEqualTo(51);
        }
    }

    private static ConfigurableApplicationContext start(String database, Path dataDirectory) {
        return TestServers.start("--spring.datasource.url=" + database, "--Data.Directory=" + dataDirectory,
                "--ConnectionStrings.Redis=" + TestRedis.ADDRESS, "--Authentication.JwtSecret=" + SHARED_JWT_SECRET);
    }
}
