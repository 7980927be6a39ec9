package io.hotswap.ops.ratelimit;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-principal limit on a single node (no Redis configured): counted in the JVM. */
@TestPropertySource(properties = "RateLimiting.DefaultRequestsPerMinute=5")
class RateLimitTest extends ServerTest {

    @Test
    void theRequestAfterTheLimitGets429WithRetryAfterAndOthersGoOn() {
        MinuteWindow.awaitRoomInTheCurrentMinute();
        String alice = token("alice-" + UUID.randomUUID(), "plugin-publisher", null);
        for (int i = 0; i < 5; i++) {
            assertThat(http.get("/api/v1/plugins", alice).status()).isEqualTo(200);
        }

        Http.Response limited = http.get("/api/v1/plugins", alice);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).isEqualTo("application/problem+json");
        assertThat(limited.json().get("type").asText()).isEqualTo("urn:hotswap:problem:rate-limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(http.get("/api/v1/plugins", token("bob-" + UUID.randomUUID(), "plugin-publisher", null)).status())
                .as("another principal has a limit of its own").isEqualTo(200);
        assertThat(http.get("/health", null).status()).isEqualTo(200);
    }
}
