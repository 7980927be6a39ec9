package io.hotswap.ops.runtime.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.MockCluster;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over the real REST API with {@code Runtime.Provider=Kubernetes} on the mock cluster: a canary walks its stages as
 * pods and completes, a crash-looping one is rolled back by itself. The server provisions each tenant's namespace
 * first, as it does on a real cluster.
 */
@TestPropertySource(properties = "Runtime.Provider=Kubernetes")
class KubernetesDeploymentTest extends ServerTest {

    private static final MockCluster CLUSTER = new MockCluster();

    @TestConfiguration
    static class OnTheMockCluster {
        @Bean
        @Primary
        KubernetesClient mockClusterClient() {
            return CLUSTER.client();
        }
    }

    @AfterAll
    static void stopCluster() {
        CLUSTER.close();
    }

    @Test
    void aCanaryRunsAsPodsStageByStageAndCompletes() {
        String tenant = provisionedTenant("tenant-k8s-ok", "k8s-ok");
        byte[] jar = SamplePlugins.healthy();
        register("payment-stripe", "1.0.0", jar, "{}");

        String id = deploy(tenant, "payment-stripe", "1.0.0", 4,
                "\"stages\": \"25,50,100\", \"stageInterval\": \"1\", \"healthCheckInterval\": \"1\"");

        JsonNode completed = awaitStatus(id, "Completed");
        assertThat(completed.get("history").findValuesAsText("event")).containsSubsequence("DeploymentStageAdvanced",
                "DeploymentStageAdvanced", "DeploymentStageAdvanced", "DeploymentCompleted");
        Deployment deployment = deploymentsIn("k8s-ok").get(0);
        assertThat(deployment.getMetadata().getLabels()).containsEntry("version", "1.0.0").containsEntry("track", "stable");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(4);
        assertThat(CLUSTER.client().pods().inNamespace("k8s-ok").withLabel("plugin", "payment-stripe").list().getItems())
                .hasSize(4);

        // the init container's download works: the server's binary endpoint with the Secret's token
        Secret download = CLUSTER.client().secrets().inNamespace("k8s-ok").list().getItems().get(0);
        URI url = URI.create(decoded(download, "url"));
        assertThat(url.getPath()).isEqualTo("/api/v1/plugins/payment-stripe/versions/1.0.0/binary");
        assertThat(http.get(url.getPath(), decoded(download, "token")).bytes()).isEqualTo(jar);
    }

    @Test
    void aCrashLoopingCanaryIsRolledBackToThePreviousVersionByItself() {
        String tenant = provisionedTenant("tenant-k8s-bad", "k8s-bad");
        register("weather", "1.0.0", SamplePlugins.healthy(), "{}");
        awaitStatus(deploy(tenant, "weather", "1.0.0", 3, "\"stages\": \"100\", \"healthCheckInterval\": \"1\""), "Completed");
        register("weather", "2.0.0", SamplePlugins.healthy(),
                "{\"runtime\": {\"type\": \"image\", \"image\": \"registry.example.com/failing-weather:2.0.0\"}}");

        String id = deploy(tenant, "weather", "2.0.0", 3,
                "\"stages\": \"34,100\", \"stageInterval\": \"1\", \"healthCheckInterval\": \"1\", \"failureThreshold\": \"2\"");
        JsonNode rolledBack = awaitStatus(id, "RolledBack");

        assertThat(rolledBack.get("rollbackReason").asText()).startsWith("stage 1 failed 2 health checks in a row")
                .contains("CrashLooping", "container plugin is in CrashLoopBackOff");
        assertThat(rolledBack.get("rolledBackBy").asText()).isEqualTo("system");
        assertThat(deploymentsIn("k8s-bad")).singleElement().satisfies(stable -> {
            assertThat(stable.getMetadata().getLabels()).containsEntry("version", "1.0.0").containsEntry("track", "stable");
            assertThat(stable.getSpec().getReplicas()).isEqualTo(3);
        });
    }

    /** A tenant the server provisioned on the mock cluster: its namespace, quota, policies and ServiceAccount exist. */
    private String provisionedTenant(String tenantId, String namespace) {
        createTenant(tenantId, namespace);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                http.get("/api/v1/tenants/" + tenantId, admin).json().get("status").asText().equals("Active"));
        return tenantId;
    }

    private static List<Deployment> deploymentsIn(String namespace) {
        return CLUSTER.client().apps().deployments().inNamespace(namespace).list().getItems();
    }

    private static String decoded(Secret secret, String key) {
        String base64 = secret.getData() != null && secret.getData().containsKey(key) ? secret.getData().get(key) : null;
        return base64 != null ? new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8)
                : secret.getStringData().get(key);
    }
}
