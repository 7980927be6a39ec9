package io.hotswap.ops.storage.s3;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.InProcessS3;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Plugin binaries in S3, against a real (in-process) S3 server, configured as the guide configures MinIO. */
class S3StorageTest extends ServerTest {

    private static InProcessS3 s3;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws Exception {
        s3 = InProcessS3.start();
        s3.useAsStorage(registry);
    }

    @Test
    void storesA50MbPluginInTheBucketAndServesItBackByteForByte() throws Exception {
        byte[] binary = new byte[50 * 1024 * 1024];
        new Random(50).nextBytes(binary);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary));

        Http.Response registered = registerPlugin("big-plugin", "1.0.0", binary, "{}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(registered.json().get("sha256").asText()).isEqualTo(sha256);
        assertThat(keys()).filteredOn(key -> key.startsWith("big-plugin/")).singleElement().asString()
                .startsWith("big-plugin/1.0.0/").endsWith(".bin");

        awaitProjections();
        Http.Response download = http.get("/api/v1/plugins/big-plugin/versions/1.0.0/binary", admin);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("X-Checksum-SHA256")).isEqualTo(sha256);
        assertThat(MessageDigest.getInstance("SHA-256").digest(download.bytes()))
                .isEqualTo(HexFormat.of().parseHex(sha256));
    }

    @Test
    void registeringTheSameBinaryAgainKeepsTheFirstObjectOnly() {
        byte[] binary = "the same bytes".getBytes();
        assertThat(registerPlugin("twice", "1.0.0", binary, "{}").status()).isEqualTo(201);
        List<String> first = keys();
        long events = storedEvents();

        assertThat(registerPlugin("twice", "1.0.0", binary, "{}").status()).isEqualTo(200);

        assertThat(keys()).isEqualTo(first);
        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void aRefusedRegistrationLeavesNoObjectAndNoEvent() {
        assertThat(registerPlugin("once-only", "1.0.0", "first".getBytes(), "{}").status()).isEqualTo(201);
        List<String> before = keys();
        long events = storedEvents();

        Http.Response conflict = registerPlugin("once-only", "1.0.0", "second".getBytes(), "{}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(keys()).isEqualTo(before);
        assertThat(storedEvents()).isEqualTo(events);
    }

    private static List<String> keys() {
        return s3.keys("plugins");
    }
}
