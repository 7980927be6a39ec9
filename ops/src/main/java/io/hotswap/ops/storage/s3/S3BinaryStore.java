package io.hotswap.ops.storage.s3;

import io.hotswap.api.error.PayloadTooLargeException;
import io.hotswap.api.error.StorageUnavailableException;
import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.api.plugin.PluginBinary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Binaries in S3 or MinIO under {@code <pluginId>/<version>/<upload id>.bin}. An upload streams straight to its own
 * key in multipart chunks (one chunk in memory at a time) while its SHA-256 is computed: the hash is known only at the
 * end, and copying the object to a key named after it would write every binary twice. An upload that fails or is too
 * large leaves nothing behind; the caller removes an object its registration did not keep. The bucket is created if
 * it does not exist.
 */
public class S3BinaryStore implements BinaryStore {

    private static final Logger log = LoggerFactory.getLogger(S3BinaryStore.class);
    /** S3's smallest part but for the last is 5 MB. */
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;

    public S3BinaryStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
            log.info("Created bucket {}", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) throw e;
            s3.createBucket(b -> b.bucket(bucket));
            log.info("Created bucket {}", bucket);
        }
    }

    @Override
    public Stored store(String pluginId, String version, InputStream content, long maxBytes) throws IOException {
        try {
            return upload(pluginId + "/" + version + "/" + UUID.randomUUID() + ".bin", content, maxBytes);
        } catch (SdkException e) {
            throw unavailableOr(e);
        }
    }

    private Stored upload(String key, InputStream content, long maxBytes) throws IOException {
        MessageDigest sha256 = sha256();
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        long size = 0;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] chunk = new byte[PART_BYTES];
            for (int partNumber = 1; ; partNumber++) {
                int filled = content.readNBytes(chunk, 0, chunk.length);
                if (filled == 0 && partNumber > 1) break;
                size += filled;
                if (size > maxBytes) throw new PayloadTooLargeException("The binary", maxBytes);
                sha256.update(chunk, 0, filled);
                int number = partNumber;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        RequestBody.fromInputStream(new ByteArrayInputStream(chunk, 0, filled), filled)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                if (filled < chunk.length) break;
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException | IOException e) {
            abortQuietly(key, uploadId);
            throw e;
        }
        return new Stored(new PluginBinary(key, HexFormat.of().formatHex(sha256.digest()), size), true);
    }

    @Override
    public Optional<InputStream> open(String storageKey) {
        try {
            return Optional.of(s3.getObject(r -> r.bucket(bucket).key(storageKey)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailableOr(e);
        }
    }

    @Override
    public void delete(String storageKey) {
        s3.deleteObject(r -> r.bucket(bucket).key(storageKey));
    }

    /** An unreachable or failing store is a 503 to retry; anything else (a refused request) stays what it is. */
    private static RuntimeException unavailableOr(SdkException e) {
        boolean unavailable = e instanceof SdkClientException || e instanceof S3Exception s3 && s3.statusCode() >= 500;
        return unavailable ? new StorageUnavailableException(e) : e;
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            log.warn("Could not abort the upload of {}: {}", key, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
