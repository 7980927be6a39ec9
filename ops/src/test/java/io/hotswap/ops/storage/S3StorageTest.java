package io.hotswap.ops.storage;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.ServerSocket;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Plugin binaries in S3, against a real (in-process) S3 server, configured as the guide configures MinIO. */
class S3StorageTest extends ServerTest {

    private static final BlobStore BLOBS = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
            .build(BlobStoreContext.class).getBlobStore();

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3Proxy proxy = S3Proxy.builder().blobStore(BLOBS).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "admin", "s3-secret-key").build();
        proxy.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "STARTED".equals(proxy.getState()));
        registry.add("Storage.Endpoint", () -> "http://127.0.0.1:" + port);
        registry.add("Storage.AccessKey", () -> "admin");
        registry.add("Storage.SecretKey", () -> "s3-secret-key");
    }

    @Test
    void storesA50MbPluginInTheBucketAndServesItBackByteForByte() throws Exception {
        byte[] binary = new byte[50 * 1024 * 1024];
        new Random(50).nextBytes(binary);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary));

        Http.Response registered = registerPlugin("big-plugin", "1.0.0", binary, "{}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(registered.json().get("sha256").asText()).isEqualTo(sha256);
        assertThat(keys()).contains("big-plugin/1.0.0/" + sha256 + ".bin").noneMatch(key -> key.startsWith("incoming/"));

        awaitProjections();
        Http.Response download = http.get("/api/v1/plugins/big-plugin/versions/1.0.0/binary", admin);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("X-Checksum-SHA256")).isEqualTo(sha256);
        assertThat(MessageDigest.getInstance("SHA-256").digest(download.bytes()))
                .isEqualTo(HexFormat.of().parseHex(sha256));
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
        return BLOBS.list("plugins", ListContainerOptions.Builder.recursive()).stream()
                .map(StorageMetadata::getName).filter(name -> !name.endsWith("/")).sorted().toList();
    }
}
