package io.hotswap.ops.storage;

import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.ops.config.HotSwapProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Binaries in MinIO/S3 when {@code Storage.Endpoint} ({@code STORAGE_ENDPOINT}) is set and the provider is not
 * {@code Local}, with an {@code s3} health contributor; otherwise in files under the data directory.
 */
@Configuration
public class StorageConfig {

    static final String S3_CONFIGURED =
            "!'${Storage.Endpoint:}'.isBlank() and !'${Storage.Provider:}'.equalsIgnoreCase('Local')";
    /** Load balancers call /health every few seconds and give up after a few more: answer well within that. */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    @Bean
    @ConditionalOnExpression(S3_CONFIGURED)
    S3Client s3Client(HotSwapProperties properties) {
        HotSwapProperties.Storage storage = properties.storage();
        return S3Client.builder()
                .endpointOverride(URI.create(storage.endpoint()))
                .region(Region.of(storage.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(storage.accessKey(), storage.secretKey())))
                .forcePathStyle(true) // MinIO and S3-compatible stores address buckets by path
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @Bean
    @ConditionalOnExpression(S3_CONFIGURED)
    HealthIndicator s3HealthIndicator(S3Client s3, HotSwapProperties properties) {
        return new S3HealthIndicator(s3, properties.storage().endpoint(), properties.storage().bucketName(), HEALTH_TIMEOUT);
    }

    @Bean
    BinaryStore binaryStore(HotSwapProperties properties, ObjectProvider<S3Client> s3) throws IOException {
        HotSwapProperties.Storage storage = properties.storage();
        if (storage.isLocal()) {
            Path root = storage.localPath() != null ? storage.localPath() : properties.data().directory().resolve("binaries");
            return new LocalBinaryStore(root);
        }
        S3Client client = s3.getIfAvailable();
        if (client == null) {
            throw new IllegalStateException("Storage.Provider " + storage.provider() + " needs Storage.Endpoint (STORAGE_ENDPOINT)");
        }
        return new S3BinaryStore(client, storage.bucketName());
    }
}
