package io.hotswap.ops.runtime.kubernetes;

import io.hotswap.api.plugin.PluginBinary;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;

/** A presigned GET of the binary's object in the bucket: the pod needs no credentials of its own. */
final class S3BinaryUrls implements BinaryUrls {

    private final S3Presigner presigner;
    private final String bucket;

    S3BinaryUrls(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public Download downloadOf(String tenantId, String pluginId, String version, PluginBinary binary, Duration validFor) {
        URI url = URI.create(presigner.presignGetObject(request -> request.signatureDuration(validFor)
                .getObjectRequest(get -> get.bucket(bucket).key(binary.storageKey()))).url().toString());
        return new Download(url, null);
    }
}
