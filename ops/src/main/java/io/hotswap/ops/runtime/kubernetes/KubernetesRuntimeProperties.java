package io.hotswap.ops.runtime.kubernetes;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The Kubernetes runtime's settings, under {@code Runtime.Kubernetes}. {@code JarImage} runs {@code jar} plugins,
 * {@code FetchImage} (curl and sha256sum) fetches their binary before they start, from S3 by a presigned URL or else
 * from the server's binary endpoint at {@code ServerUrl} with a token valid for {@code BinaryUrlValidity}.
 * {@code PluginPort} is the port a plugin listens on in its pod ({@code PLUGIN_PORT}).
 */
@ConfigurationProperties("runtime.kubernetes")
public record KubernetesRuntimeProperties(
        @DefaultValue("eclipse-temurin:17-jre") String jarImage,
        @DefaultValue("curlimages/curl:8.11.1") String fetchImage,
        @DefaultValue("http://plugin-manager.plugin-manager.svc:8080") String serverUrl,
        @DefaultValue("1h") Duration binaryUrlValidity,
        @DefaultValue("8080") int pluginPort) {
}
