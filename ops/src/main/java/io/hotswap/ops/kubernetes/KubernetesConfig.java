package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
}
