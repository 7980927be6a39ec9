package io.hotswap.ops.storage;

import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.ops.storage.local.LocalBinaryStore;
import io.hotswap.ops.storage.s3.S3BinaryStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where binaries are kept: in MinIO/S3 when {@code Storage.Endpoint} is set and the provider is not {@code Local}
 * (storage/s3), otherwise in files under the data directory (storage/local).
 */
@Configuration
public class StorageConfig {

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
