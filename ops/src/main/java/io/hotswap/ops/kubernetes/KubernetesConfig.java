package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The cluster client and its {@code kubernetes} health contributor when {@code Runtime.Provider} is {@code Kubernetes}.
 * The cluster is found the way fabric8 finds it by default: the in-cluster service account, {@code KUBECONFIG} or
 * {@code ~/.kube/config}. Building the client does not call the cluster, so the server starts while it is away.
 */
@Configuration
@ConditionalOnProperty(name = "Runtime.Provider", havingValue = "Kubernetes")
public class KubernetesConfig {

    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    KubernetesHealthIndicator kubernetesHealthIndicator(KubernetesClient client) {
        return new KubernetesHealthIndicator(client);
    }

    /**
     * The same cluster with one attempt per request, bounded by {@code timeout}: for callers that report a failure at
     * once (the health component) or retry on their own terms (the provisioner), not after the client's own retries.
     */
    static KubernetesClient oneAttempt(KubernetesClient cluster, Duration timeout) {
        return cluster.newClient(new RequestConfigBuilder(cluster.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).withRequestTimeout((int) timeout.toMillis()).build())
                .adapt(KubernetesClient.class);
    }
}
