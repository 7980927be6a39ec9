package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotswap.command.tenant.TenantProvisioning;
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
}
