package io.hotswap.ops.support;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** A real S3 server (S3Proxy over an in-memory blob store) on a free port, with the credentials the guide's form uses. */
public final class InProcessS3 {

    public static final String ACCESS_KEY = "admin";
    public static final String SECRET_KEY = "s3-secret-key";

    private final BlobStore blobs = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
            .build(BlobStoreContext.class).getBlobStore();
    private final S3Proxy proxy;
    private final String endpoint;

    private InProcessS3(int port) {
        endpoint = "http://127.0.0.1:" + port;
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create(endpoint))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    }

    public static InProcessS3 start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        InProcessS3 s3 = new InProcessS3(port);
        s3.proxy.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "STARTED".equals(s3.proxy.getState()));
        return s3;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Points the server's {@code Storage.*} settings at this S3, as {@code STORAGE_*} would. */
    public void useAsStorage(DynamicPropertyRegistry registry) {
        registry.add("Storage.Endpoint", this::endpoint);
        registry.add("Storage.AccessKey", () -> ACCESS_KEY);
        registry.add("Storage.SecretKey", () -> SECRET_KEY);
    }

    /** The same settings as environment variables, for a server or command in a process of its own. */
    public Map<String, String> environment() {
        return Map.of("STORAGE_ENDPOINT", endpoint, "STORAGE_ACCESS_KEY", ACCESS_KEY, "STORAGE_SECRET_KEY", SECRET_KEY);
    }

    /** A client as an operator's tool would use one (path-style, these credentials); close it when done. */
    public S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** The object keys in {@code bucket}, sorted. */
    public List<String> keys(String bucket) {
        return blobs.list(bucket, ListContainerOptions.Builder.recursive()).stream()
                .map(StorageMetadata::getName).filter(name -> !name.endsWith("/")).sorted().toList();
    }

    public void stop() throws Exception {
        proxy.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> "STOPPED".equals(proxy.getState()));
    }
}
