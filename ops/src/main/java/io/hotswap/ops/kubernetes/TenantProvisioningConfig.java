package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotswap.command.tenant.TenantProvisioning;
import io.hotswap.sagas.tenant.TenantProvisioner;
import io.hotswap.sagas.tenant.TenantProvisioningException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tenant provisioning is on whenever there is a cluster, that is when {@code Runtime.Provider} is {@code Kubernetes}
 * (see {@link KubernetesConfig}): new tenants are then Provisioning until their objects exist.
 */
@Configuration
public class TenantProvisioningConfig {

    @Bean
    TenantProvisioning tenantProvisioning(ObjectProvider<KubernetesClient> cluster) {
        return new TenantProvisioning(cluster.getIfAvailable() != null);
    }

    /**
     * The saga's handlers take a provisioner with any provider. Without a cluster none is started, but one left by a
     * server that ran on Kubernetes records why it cannot go on, and finishes once the server runs there again.
     */
    @Bean
    TenantProvisioner tenantProvisioner(ObjectProvider<KubernetesClient> cluster) {
        KubernetesClient client = cluster.getIfAvailable();
        if (client != null) return new KubernetesTenantProvisioner(client);
        return (object, tenant) -> {
            throw new TenantProvisioningException("Runtime.Provider is not Kubernetes: there is no cluster to put it in");
        };
    }
}
