package io.hotswap.ops.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.ops.runtime.PluginRuntimeProvider;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.sagas.runtime.PluginRuntime;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Clock;

/**
 * The Kubernetes runtime, {@code Runtime.Provider: Kubernetes}: plugin instances as pods in the tenant's namespace.
 * Binaries of {@code jar} plugins come from S3 by presigned URL when binaries are kept there, and from this server
 * otherwise.
 */
@Configuration
@EnableConfigurationProperties(KubernetesRuntimeProperties.class)
public class KubernetesRuntimeConfig {

    @Bean
    PluginRuntimeProvider kubernetesRuntime(KubernetesRuntimeProperties settings, HotSwapProperties properties,
                                            ObjectProvider<KubernetesClient> client, ObjectProvider<S3Client> s3,
                                            TokenIssuer tokens) {
        return new PluginRuntimeProvider() {
            @Override
            public String name() {
                return "Kubernetes";
            }

            @Override
            public PluginRuntime create() {
                S3Client s3Client = properties.storage().isLocal() ? null : s3.getIfAvailable();
                BinaryUrls binaries = s3Client == null ? new ServerBinaryUrls(tokens, settings.serverUrl())
                        : new S3BinaryUrls(S3Presigner.builder().s3Client(s3Client).build(), properties.storage().bucketName());
                return new KubernetesPluginRuntime(client.getObject(), settings, binaries, Clock.systemUTC());
            }
        };
    }
}
