package io.hotswap.ops.storage.s3;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Duration;

/**
 * UP when the bucket answers a HEAD within {@code timeout}; DOWN with what went wrong otherwise. The timeout covers
 * the whole call, retries included, so {@code /health} answers even when the endpoint accepts connections and never
 * replies.
 */
public class S3HealthIndicator implements HealthIndicator {

    private final S3Client s3;
    private final String endpoint;
    private final String bucket;
    private final Duration timeout;

    public S3HealthIndicator(S3Client s3, String endpoint, String bucket, Duration timeout) {
        this.s3 = s3;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            s3.headBucket(r -> r.bucket(bucket).overrideConfiguration(c -> c.apiCallTimeout(timeout)));
            return Health.up().withDetail("bucket", bucket).build();
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            return down("S3 endpoint " + endpoint + " did not answer within " + timeout.toMillis() + " ms");
        } catch (S3Exception e) {
            return down(switch (e.statusCode()) {
                case 404 -> "bucket '" + bucket + "' does not exist at " + endpoint;
                case 401, 403 -> "S3 endpoint " + endpoint + " refused the credentials (STORAGE_ACCESS_KEY, STORAGE_SECRET_KEY): HTTP " + e.statusCode();
                default -> "S3 endpoint " + endpoint + " answered HTTP " + e.statusCode();
            });
        } catch (SdkException e) {
            return down("S3 endpoint " + endpoint + " is unreachable: " + rootCause(e).getMessage());
        }
    }

    private Health down(String error) {
        return Health.down().withDetail("bucket", bucket).withDetail("error", error).build();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        return cause;
    }
}
