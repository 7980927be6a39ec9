package io.hotswap.ops.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.ops.support.MockCluster;
import io.hotswap.sagas.runtime.DeploymentTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.hotswap.ops.runtime.kubernetes.KubernetesPluginRuntimeContractTest.image;
import static io.hotswap.ops.runtime.kubernetes.KubernetesPluginRuntimeContractTest.jar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The exact objects the Kubernetes runtime makes, and what it reads back from pods. */
class KubernetesPluginRuntimeTest {

    private static final MockCluster CLUSTER = new MockCluster();
    private static final KubernetesClient API = CLUSTER.client();
    private static final KubernetesPluginRuntime RUNTIME = KubernetesPluginRuntimeContractTest.runtimeOn(CLUSTER.client());

    @AfterAll
    static void stopCluster() {
        CLUSTER.close();
    }

    @Test
    void aJarVersionRunsAsARestrictedDeploymentThatFetchesAndChecksItsBinary() {
        DeploymentTarget target = tenantTarget("tenant-jar", "acme-jar");
        RUNTIME.scale(target, jar("1.2.0"), 2);

        Deployment deployment = API.apps().deployments().inNamespace("acme-jar").list().getItems().get(0);
        assertThat(deployment.getMetadata().getName()).matches("payment-stripe-production-1-2-0-[0-9a-f]{8}");
        Map<String, String> podLabels = Map.of("tenant", "tenant-jar", "plugin", "payment-stripe",
                "environment", "Production", "version", "1.2.0");
        assertThat(deployment.getMetadata().getLabels()).containsAllEntriesOf(podLabels)
                .containsEntry("track", "stable").containsEntry("app.kubernetes.io/managed-by", "plugin-manager");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(podLabels);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(podLabels)
                .doesNotContainKey("track");

        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("tenant-plugins");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getVolumes()).singleElement().satisfies(volume -> assertThat(volume.getEmptyDir()).isNotNull());

        Container plugin = pod.getContainers().get(0);
        assertThat(plugin.getName()).isEqualTo("plugin");
        assertThat(plugin.getImage()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(plugin.getCommand()).containsExactly("java", "-jar", "/plugin/plugin.jar");
        assertThat(plugin.getResources().getRequests()).isEqualTo(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi")));
        assertThat(plugin.getResources().getLimits()).isEqualTo(plugin.getResources().getRequests());
        assertThat(plugin.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(plugin.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(plugin.getReadinessProbe().getTimeoutSeconds()).isEqualTo(3);
        assertThat(plugin.getPorts()).singleElement().satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(8080));
        assertRestricted(plugin);
        assertThat(plugin.getEnv()).extracting(env -> env.getName() + "=" + (env.getValue() != null ? env.getValue()
                : env.getValueFrom().getFieldRef().getFieldPath()))
                .containsExactly("PLUGIN_PORT=8080", "PLUGIN_INSTANCE_ID=metadata.name", "PLUGIN_VERSION=1.2.0",
                        "PLUGIN_TENANT_ID=tenant-jar");

        Container fetch = pod.getInitContainers().get(0);
        assertThat(fetch.getImage()).isEqualTo("curlimages/curl:8.11.1");
        assertThat(String.join(" ", fetch.getCommand())).contains("curl -fsS", "-o /plugin/plugin.jar \"$BINARY_URL\"",
                "sha256sum -c -");
        assertThat(fetch.getEnv()).extracting(env -> env.getName()).containsExactly("BINARY_URL", "BINARY_TOKEN", "BINARY_SHA256");
        assertThat(fetch.getEnv().get(2).getValue()).isEqualTo("ab".repeat(32));
        assertRestricted(fetch);
        Secret secret = API.secrets().inNamespace("acme-jar")
                .withName(fetch.getEnv().get(0).getValueFrom().getSecretKeyRef().getName()).get();
        assertThat(secret.getMetadata().getAnnotations()).containsKey("hotswap.io/binary-url-expires");

        Service service = API.services().inNamespace("acme-jar").list().getItems().get(0);
        assertThat(service.getMetadata().getName()).matches("payment-stripe-production-[0-9a-f]{8}");
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("tenant", "tenant-jar", "plugin", "payment-stripe",
                "environment", "Production"));
    }

    @Test
    void aSecondVersionIsTheCanaryUntilItIsTheOnlyOneAndTheLastVersionTakesTheServiceAlong() {
        DeploymentTarget target = tenantTarget("tenant-tracks", "acme-tracks");
        RUNTIME.scale(target, jar("1.0.0"), 3);
        RUNTIME.scale(target, image("2.0.0", "registry.example.com/stripe:2.0.0"), 1);

        Deployment canary = deployment("acme-tracks", "2.0.0");
        assertThat(canary.getMetadata().getLabels()).containsEntry("track", "canary");
        assertThat(canary.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/stripe:2.0.0");
        assertThat(canary.getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();

        RUNTIME.scale(target, jar("1.0.0"), 0);
        assertThat(API.apps().deployments().inNamespace("acme-tracks").list().getItems()).singleElement()
                .satisfies(only -> assertThat(only.getMetadata().getLabels()).containsEntry("version", "2.0.0")
                        .containsEntry("track", "stable"));
        RUNTIME.scale(target, image("2.0.0", "registry.example.com/stripe:2.0.0"), 0);
        assertThat(API.services().inNamespace("acme-tracks").list().getItems()).isEmpty();
    }

    @Test
    void twoEnvironmentsOfATenantShareItsNamespaceApart() {
        tenantTarget("tenant-envs", "acme-envs");
        RUNTIME.scale(new DeploymentTarget("tenant-envs", "payment-stripe", "Production"), jar("1.0.0"), 2);
        RUNTIME.scale(new DeploymentTarget("tenant-envs", "payment-stripe", "Staging"), jar("1.0.0"), 1);

        assertThat(API.apps().deployments().inNamespace("acme-envs").list().getItems()).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(RUNTIME.running(new DeploymentTarget("tenant-envs", "payment-stripe", "Production")))
                    .isEqualTo(Map.of("1.0.0", 2));
            assertThat(RUNTIME.running(new DeploymentTarget("tenant-envs", "payment-stripe", "Staging")))
                    .isEqualTo(Map.of("1.0.0", 1));
        });
    }

    @Test
    void aCrashLoopingPodIsReportedByNameAndCauseAndDoesNotCountAsRunning() {
        DeploymentTarget target = tenantTarget("tenant-crash", "acme-crash");
        RUNTIME.scale(target, image("3.0.0", "registry.example.com/failing-stripe:3.0.0"), 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> !RUNTIME.check(target, "3.0.0").isEmpty());
        InstanceHealth health = RUNTIME.check(target, "3.0.0").get(0);
        assertThat(health.state()).isEqualTo(InstanceState.CrashLooping);
        assertThat(health.restarts()).isEqualTo(3);
        assertThat(health.detail()).isEqualTo("pod " + health.instanceId() + ": container plugin is in CrashLoopBackOff: "
                + "back-off 40s restarting failed container; last exit code 1 (Error)");
        assertThat(RUNTIME.running(target)).isEmpty();
    }

    @Test
    void aTenantWithoutItsLabelledNamespaceIsRefusedWithTheReason() {
        assertThatThrownBy(() -> RUNTIME.scale(new DeploymentTarget("tenant-ghost", "payment-stripe", "Production"),
                jar("1.0.0"), 1))
                .hasMessage("tenant tenant-ghost needs exactly one namespace labelled tenant=tenant-ghost, the cluster "
                        + "has 0 (is the tenant provisioned yet?)");
    }

    @Test
    void namesAreDnsLabelsThatKeepApartWhatReadsAlike() {
        assertThat(PluginObjects.name("payment-stripe", "Production", "1.0.0-rc.1"))
                .isNotEqualTo(PluginObjects.name("payment-stripe", "Production", "1.0.0-rc-1"));
        assertThat(PluginObjects.name("payment-stripe", "Production", "1.0.0"))
                .isNotEqualTo(PluginObjects.name("payment-stripe", "production", "1.0.0"));
        for (String name : List.of(PluginObjects.name("a".repeat(63), "Production", "10.20.30-beta.1+build.99"),
                PluginObjects.name("3d-render", "Staging", "1.0.0"))) {
            assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z]([-a-z0-9]*[a-z0-9])?");
        }
    }

    private static DeploymentTarget tenantTarget(String tenantId, String namespace) {
        CLUSTER.createTenantNamespace(tenantId, namespace);
        return new DeploymentTarget(tenantId, "payment-stripe", "Production");
    }

    private static Deployment deployment(String namespace, String version) {
        return API.apps().deployments().inNamespace(namespace).withLabel("version", version).list().getItems().get(0);
    }

    private static void assertRestricted(Container container) {
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }
}
