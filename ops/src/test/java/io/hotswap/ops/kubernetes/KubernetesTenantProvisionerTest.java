package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.sagas.tenant.TenantProvisioningException;
import io.hotswap.sagas.tenant.TenantSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The objects a tenant gets, read back from fabric8's mock API server in CRUD mode. */
class KubernetesTenantProvisionerTest {

    private static final String NS = "tenant-acme";
    private static final TenantSpec ACME = new TenantSpec("tenant-acme-corp", NS, new TenantQuotas(20, 8.0, 16));
    private static final Map<String, String> OURS = Map.of("tenant", "tenant-acme-corp",
            "app.kubernetes.io/managed-by", "plugin-manager");

    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesTenantProvisioner provisioner;

    @BeforeEach
    void startCluster() {
        server = ProvisioningMockCluster.start();
        client = server.createClient();
        provisioner = new KubernetesTenantProvisioner(client);
    }

    @AfterEach
    void stopCluster() {
        client.close();
        server.destroy();
    }

    @Test
    void theNamespaceIsLabelledForItsTenantAndTheRestrictedPodSecurityStandard() {
        provisioner.provision(TenantClusterObject.Namespace, ACME);

        assertThat(client.namespaces().withName(NS).get().getMetadata().getLabels()).containsAllEntriesOf(OURS)
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
    }

    @Test
    void theQuotaHoldsTheTenantsCpuAndMemoryAndAPodPerDefaultSizedInstance() {
        provisioner.provision(TenantClusterObject.ResourceQuota, ACME);

        var quota = client.resourceQuotas().inNamespace(NS).withName("tenant-quota").get();
        assertThat(quota.getMetadata().getLabels()).containsAllEntriesOf(OURS);
        assertThat(quota.getSpec().getHard()).isEqualTo(Map.of(
                "requests.cpu", new Quantity("8"), "limits.cpu", new Quantity("8"),
                "requests.memory", new Quantity("16Gi"), "limits.memory", new Quantity("16Gi"),
                "pods", new Quantity("80"))); // 8 CPU / 0.1 = 80 < 16 GiB / 128 MiB = 128
    }

    @Test
    void theNetworkPoliciesDenyAllButTheServerTheNamespaceItselfAndDns() {
        provisioner.provision(TenantClusterObject.NetworkPolicies, ACME);

        Map<String, NetworkPolicySpec> policies = client.network().v1().networkPolicies().inNamespace(NS).list()
                .getItems().stream().peek(p -> assertThat(p.getMetadata().getLabels()).containsAllEntriesOf(OURS))
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), NetworkPolicy::getSpec));
        LabelSelector everyPod = new LabelSelector();
        assertThat(policies).containsOnlyKeys("default-deny-all", "allow-from-plugin-manager", "allow-to-plugin-manager",
                "allow-same-namespace", "allow-dns");
        policies.values().forEach(spec -> assertThat(spec.getPodSelector()).isEqualTo(everyPod));

        NetworkPolicySpec deny = policies.get("default-deny-all");
        assertThat(deny.getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(deny.getIngress()).isEmpty();
        assertThat(deny.getEgress()).isEmpty();

        NetworkPolicySpec fromServer = policies.get("allow-from-plugin-manager");
        assertThat(fromServer.getPolicyTypes()).containsExactly("Ingress");
        NetworkPolicyPeer server = fromServer.getIngress().get(0).getFrom().get(0);
        assertThat(server.getNamespaceSelector().getMatchLabels())
                .isEqualTo(Map.of("kubernetes.io/metadata.name", "plugin-manager"));
        assertThat(server.getPodSelector()).isNull();

        // a jar plugin's init container downloads its binary from the server
        NetworkPolicySpec toServer = policies.get("allow-to-plugin-manager");
        assertThat(toServer.getPolicyTypes()).containsExactly("Egress");
        assertThat(toServer.getEgress().get(0).getTo()).containsExactly(server);

        // egress is denied as well, so neighbours need both directions
        NetworkPolicySpec withinNamespace = policies.get("allow-same-namespace");
        assertThat(withinNamespace.getPolicyTypes()).containsExactly("Ingress", "Egress");
        NetworkPolicyPeer neighbours = withinNamespace.getIngress().get(0).getFrom().get(0);
        assertThat(neighbours.getPodSelector()).isEqualTo(everyPod);
        assertThat(neighbours.getNamespaceSelector()).isNull();
        assertThat(withinNamespace.getEgress().get(0).getTo()).containsExactly(neighbours);

        NetworkPolicySpec dns = policies.get("allow-dns");
        assertThat(dns.getPolicyTypes()).containsExactly("Egress");
        NetworkPolicyPeer resolver = dns.getEgress().get(0).getTo().get(0);
        assertThat(resolver.getNamespaceSelector().getMatchLabels())
                .isEqualTo(Map.of("kubernetes.io/metadata.name", "kube-system"));
        assertThat(resolver.getPodSelector().getMatchLabels()).isEqualTo(Map.of("k8s-app", "kube-dns"));
        assertThat(dns.getEgress().get(0).getPorts()).extracting(NetworkPolicyPort::getProtocol, NetworkPolicyPort::getPort)
                .containsExactly(tuple("UDP", new IntOrString(53)),
                        tuple("TCP", new IntOrString(53)));
    }

    @Test
    void thePluginsServiceAccountDoesNotMountItsToken() {
        provisioner.provision(TenantClusterObject.ServiceAccount, ACME);

        ServiceAccount account = client.serviceAccounts().inNamespace(NS).withName("tenant-plugins").get();
        assertThat(account.getMetadata().getLabels()).containsAllEntriesOf(OURS);
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void provisioningAgainPatchesToTheDesiredStateAndKeepsWhatOthersAdded() {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS)
                .addToLabels("pod-security.kubernetes.io/enforce", "privileged")
                .addToLabels("team", "payments").endMetadata().build()).create();

        for (TenantClusterObject object : TenantClusterObject.values()) {
            provisioner.provision(object, ACME);
            provisioner.provision(object, ACME);
        }

        Namespace namespace = client.namespaces().withName(NS).get();
        assertThat(namespace.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("team", "payments");
        assertThat(client.network().v1().networkPolicies().inNamespace(NS).list().getItems()).hasSize(5);
    }

    @Test
    void aFailureNamesTheObjectAndWhatTheApiServerAnswered() {
        server.expect().post().withPath("/api/v1/namespaces/" + NS + "/resourcequotas")
                .andReturn(500, "etcd is unavailable").once();

        assertThatThrownBy(() -> provisioner.provision(TenantClusterObject.ResourceQuota, ACME))
                .isInstanceOf(TenantProvisioningException.class)
                .hasMessageStartingWith("ResourceQuota 'tenant-quota': the API server answered 500");
    }

    @Test
    void aClusterThatDoesNotAnswerFailsWithinTheBound() throws Exception {
        try (ServerSocket silent = new ServerSocket(0);
             KubernetesClient away = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                     .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort()).build()).build()) {
            Instant start = Instant.now();

            assertThatThrownBy(() -> new KubernetesTenantProvisioner(away).provision(TenantClusterObject.Namespace, ACME))
                    .isInstanceOf(TenantProvisioningException.class)
                    .hasMessageContaining("Namespace 'tenant-acme': no answer from the API server at http://127.0.0.1:");
            assertThat(Duration.between(start, Instant.now()))
                    .isLessThan(KubernetesTenantProvisioner.API_TIMEOUT.plusSeconds(2));
        }
    }
}
