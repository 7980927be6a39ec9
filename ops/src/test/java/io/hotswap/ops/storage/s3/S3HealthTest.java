package io.hotswap.ops.storage.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.InProcessS3;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** S3 in /health and the actuator's health, against a real (in-process) S3 server that is then stopped. */
class S3HealthTest extends ServerTest {

    private static InProcessS3 s3;

    @LocalManagementPort
    private int managementPort;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws Exception {
        s3 = InProcessS3.start();
        s3.useAsStorage(registry);
    }

    @Test
    void reportsS3UpAndThenDownWithinSecondsOnceTheEndpointStops() throws Exception {
        Http management = new Http(managementPort);
        Http.Response up = http.get("/health", null);
        assertThat(up.status()).as(up.toString()).isEqualTo(200);
        assertThat(up.json().at("/components/s3/status").asText()).isEqualTo("UP");
        assertThat(up.json().at("/components/s3/details/bucket").asText()).isEqualTo("plugins");
        assertThat(management.get("/actuator/health", null).json().at("/components/s3/status").asText()).isEqualTo("UP");

        s3.stop();

        long started = System.nanoTime();
        Http.Response down = http.get("/health", null);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(down.status()).as(down.toString()).isEqualTo(503);
        JsonNode component = down.json().at("/components/s3");
        assertThat(component.get("status").asText()).isEqualTo("DOWN");
        assertThat(component.at("/details/error").asText())
                .startsWith("S3 endpoint " + s3.endpoint() + " is unreachable").contains("refused");
        assertThat(took).isLessThan(S3StorageConfig.HEALTH_TIMEOUT.plusSeconds(1));
        assertThat(management.get("/actuator/health", null).json().at("/components/s3/status").asText()).isEqualTo("DOWN");
    }
}
