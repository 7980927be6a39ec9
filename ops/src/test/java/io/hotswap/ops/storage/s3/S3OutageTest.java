package io.hotswap.ops.storage.s3;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.InProcessS3;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** While S3 is unreachable, uploads and downloads answer 503 with Retry-After, and nothing is registered. */
class S3OutageTest extends ServerTest {

    private static InProcessS3 s3;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws Exception {
        s3 = InProcessS3.start();
        s3.useAsStorage(registry);
    }

    @Test
    void uploadsAndDownloadsAnswer503WhileS3IsDownAndNothingIsRegistered() throws Exception {
        assertThat(registerPlugin("stored-before", "1.0.0", "bytes".getBytes(), "{}").status()).isEqualTo(201);
        awaitProjections();
        s3.stop();
        long events = storedEvents();

        Http.Response upload = registerPlugin("stored-during", "1.0.0", "other bytes".getBytes(), "{}");
        Http.Response download = http.get("/api/v1/plugins/stored-before/versions/1.0.0/binary", admin);

        for (Http.Response response : new Http.Response[]{upload, download}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(503);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("type").asText()).isEqualTo("urn:hotswap:problem:storage-unavailable");
            assertThat(response.header("Retry-After")).isNotBlank();
        }
        assertThat(storedEvents()).isEqualTo(events);
        assertThat(http.get("/api/v1/plugins/stored-during", admin).status()).isEqualTo(404);
    }
}
