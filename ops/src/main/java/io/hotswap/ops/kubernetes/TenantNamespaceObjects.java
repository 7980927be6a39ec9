package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.sagas.tenant.TenantSpec;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The desired state of a tenant's objects, as the deployment guide's Operations and Security Hardening sections
 * describe them: a namespace under the {@code restricted} Pod Security Standard, a quota from the tenant's quotas,
 * network policies that deny all but what plugins need, and the service account its plugin pods run as.
 */
final class TenantNamespaceObjects {

    static final String QUOTA = "tenant-quota";
    /** Where the server runs (the guide's namespace); plugins answer its health checks and requests. */
    static final String PLUGIN_MANAGER_NAMESPACE = "plugin-manager";
    /**
     * Every namespace carries its name in this label (Kubernetes 1.21+), so policies can select a namespace by name
     * without relying on labels someone has to add (the guide's {@code name: plugin-manager}).
     */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private TenantNamespaceObjects() {
    }

    static List<? extends HasMetadata> of(TenantClusterObject object, TenantSpec tenant) {
        return switch (object) {
            case Namespace -> List.of(namespace(tenant));
            case ResourceQuota -> List.of(resourceQuota(tenant));
            case NetworkPolicies -> networkPolicies(tenant);
            case ServiceAccount -> List.of(serviceAccount(tenant));
        };
    }

    static Namespace namespace(TenantSpec tenant) {
        return new NamespaceBuilder().withMetadata(new ObjectMetaBuilder(metadata(tenant, tenant.namespace()))
                        .withNamespace(null)
                        .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                        .addToLabels("pod-security.kubernetes.io/audit", "restricted")
                        .addToLabels("pod-security.kubernetes.io/warn", "restricted").build())
                .build();
    }

    static ResourceQuota resourceQuota(TenantSpec tenant) {
        TenantQuotas quotas = tenant.quotas();
        Quantity cpu = new Quantity(plain(quotas.maxCpu()));
        Quantity memory = new Quantity(plain(quotas.maxMemoryGB()), "Gi");
        return new ResourceQuotaBuilder().withMetadata(metadata(tenant, QUOTA)).withNewSpec()
                .withHard(Map.of("requests.cpu", cpu, "limits.cpu", cpu, "requests.memory", memory,
                        "limits.memory", memory, "pods", new Quantity(Integer.toString(pods(quotas)))))
                .endSpec().build();
    }

    /**
     * As many pods as the quotas hold instances of the default size (0.1 CPU, 128 MiB): CPU and memory already bound
     * real instances, and this keeps pods that request almost nothing from filling the namespace.
     */
    static int pods(TenantQuotas quotas) {
        PluginResources smallest = PluginResources.DEFAULT;
        double byCpu = quotas.maxCpu() / smallest.cpu();
        double byMemory = quotas.maxMemoryGB() * 1024 / smallest.memoryMB();
        return Math.max(1, (int) Math.floor(Math.min(byCpu, byMemory) + 1e-9));
    }

    /**
     * Nothing in or out but what is allowed next to it: the server in (deployments, health checks) and out (a jar
     * plugin's binary download, and the object store if it runs beside the server), the namespace's own pods both ways
     * (egress is denied too, so talking to a neighbour needs both), and DNS.
     */
    static List<NetworkPolicy> networkPolicies(TenantSpec tenant) {
        LabelSelector everyPod = new LabelSelector();
        NetworkPolicyPeer pluginManager = new NetworkPolicyPeerBuilder().withNamespaceSelector(
                namespaceNamed(PLUGIN_MANAGER_NAMESPACE)).build();
        NetworkPolicyPeer sameNamespace = new NetworkPolicyPeerBuilder().withPodSelector(everyPod).build();
        NetworkPolicyPeer clusterDns = new NetworkPolicyPeerBuilder().withNamespaceSelector(namespaceNamed("kube-system"))
                .withPodSelector(new LabelSelectorBuilder().addToMatchLabels("k8s-app", "kube-dns").build()).build();
        return List.of(
                new NetworkPolicyBuilder().withMetadata(metadata(tenant, "default-deny-all")).withNewSpec()
                        .withPodSelector(everyPod).withPolicyTypes("Ingress", "Egress").endSpec().build(),
                new NetworkPolicyBuilder().withMetadata(metadata(tenant, "allow-from-plugin-manager")).withNewSpec()
                        .withPodSelector(everyPod).withPolicyTypes("Ingress")
                        .addNewIngress().withFrom(pluginManager).endIngress().endSpec().build(),
                new NetworkPolicyBuilder().withMetadata(metadata(tenant, "allow-to-plugin-manager")).withNewSpec()
                        .withPodSelector(everyPod).withPolicyTypes("Egress")
                        .addNewEgress().withTo(pluginManager).endEgress().endSpec().build(),
                new NetworkPolicyBuilder().withMetadata(metadata(tenant, "allow-same-namespace")).withNewSpec()
                        .withPodSelector(everyPod).withPolicyTypes("Ingress", "Egress")
                        .addNewIngress().withFrom(sameNamespace).endIngress()
                        .addNewEgress().withTo(sameNamespace).endEgress().endSpec().build(),
                new NetworkPolicyBuilder().withMetadata(metadata(tenant, "allow-dns")).withNewSpec()
                        .withPodSelector(everyPod).withPolicyTypes("Egress")
                        .addNewEgress().withTo(clusterDns)
                        .addNewPort().withProtocol("UDP").withNewPort(53).endPort()
                        .addNewPort().withProtocol("TCP").withNewPort(53).endPort().endEgress()
                        .endSpec().build());
    }

    static ServiceAccount serviceAccount(TenantSpec tenant) {
        return new ServiceAccountBuilder().withMetadata(metadata(tenant, TenantObjects.PLUGIN_SERVICE_ACCOUNT))
                .withAutomountServiceAccountToken(false).build();
    }

    private static ObjectMeta metadata(TenantSpec tenant, String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(tenant.namespace())
                .addToLabels(TenantObjects.TENANT_LABEL, tenant.tenantId())
                .addToLabels(TenantObjects.MANAGED_BY_LABEL, TenantObjects.MANAGED_BY).build();
    }

    private static LabelSelector namespaceNamed(String name) {
        return new LabelSelectorBuilder().addToMatchLabels(NAMESPACE_NAME_LABEL, name).build();
    }

    /** 8.0 as "8", 0.5 as "0.5": what a person would write in the quota. */
    private static String plain(double amount) {
        return BigDecimal.valueOf(amount).stripTrailingZeros().toPlainString();
    }
}
