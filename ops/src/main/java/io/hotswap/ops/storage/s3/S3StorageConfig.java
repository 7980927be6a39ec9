package io.hotswap.ops.storage.s3;

import io.hotswap.ops.config.HotSwapProperties;
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

import java.net.URI;
import java.time.Duration;

/**
 * The S3 client and its {@code s3} health contributor, when {@code Storage.Endpoint} ({@code STORAGE_ENDPOINT}) is set
 * and the provider is not {@code Local}.
 */
@Configuration
@ConditionalOnExpression("!'${Storage.Endpoint:}'.isBlank() and !'${Storage.Provider:}'.equalsIgnoreCase('Local')")
public class S3StorageConfig {

    /** Load balancers call /health every few seconds and give up after a few more: answer well within that. */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    @Bean
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
    HealthIndicator s3HealthIndicator(S3Client s3, HotSwapProperties properties) {
        return new S3HealthIndicator(s3, properties.storage().endpoint(), properties.storage().bucketName(), HEALTH_TIMEOUT);
    }
}
