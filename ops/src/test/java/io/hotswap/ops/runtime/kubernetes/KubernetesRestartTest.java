package io.hotswap.ops.runtime.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.MockCluster;
import io.hotswap.ops.support.ServerProcess;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A separate-JVM server on the Kubernetes runtime killed (SIGKILL) after a deployment completed, and started again on
 * the same database and data directory: the cluster keeps the Deployment, Service and pods exactly as they were (same
 * uid and resourceVersion: nothing recreated or rewritten), and the restarted server carries on supervising them.
 */
class KubernetesRestartTest {

    private static final String TENANT = "tenant-k8s-restart";
    private static final String NS = "k8s-restart";
    private static final int INSTANCES = 2;

    @TempDir
    Path data;

    private final MockCluster cluster = new MockCluster();
    private ServerProcess server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        cluster.close();
    }

    @Test
    void aRestartedServerNeitherRecreatesNorLosesACompletedDeployment() throws Exception {
        server = new ServerProcess(data, TestDatabase.create(), "k8s-restart",
                MockCluster.serverEnvironment(cluster.url())).start();
        Http http = server.http();
        String token = server.adminToken();
        assertThat(http.postJson("/api/v1/tenants", token, ServerTest.tenantJson(TENANT, NS)).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                http.get("/api/v1/tenants/" + TENANT, token).json().get("status").asText().equals("Active"));
        assertThat(http.postMultipart("/api/v1/plugins", token, Http.Part.text("pluginId", "payment-stripe"),
                Http.Part.text("version", "1.0.0"), Http.Part.file("binary", "p.jar", SamplePlugins.healthy())).status())
                .isEqualTo(201);
        Http.Response started = http.postJson("/api/v1/plugin-deployments", token, """
                {"pluginId": "payment-stripe", "pluginVersion": "1.0.0", "tenantId": "%s", "environment": "Production",
                 "strategyConfig": {"stages": "100", "healthCheckInterval": "1"}, "totalInstances": %d}"""
                .formatted(TENANT, INSTANCES));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String id = started.json().get("deploymentId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                http.get("/api/v1/plugin-deployments/" + id, token).json().get("status").asText().equals("Completed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == INSTANCES);
        Map<String, String> before = objects();

        server.kill();
        server.start();
        Instant ready = Instant.now();

        JsonNode health = await().atMost(Duration.ofSeconds(30)).until(
                () -> http.get("/api/v1/plugin-deployments/" + id + "/health", token).json(),
                h -> !h.get("checkedAt").isNull() && Instant.parse(h.get("checkedAt").asText()).isAfter(ready));
        assertThat(health.get("overall").asText()).isEqualTo("Healthy");
        assertThat(health.get("instances")).hasSize(INSTANCES);
        assertThat(objects()).as("Deployment, Service and pods by name: uid and resourceVersion").isEqualTo(before);
        assertThat(http.get("/api/v1/plugin-deployments/" + id, token).json().get("status").asText())
                .isEqualTo("Completed");
    }

    private List<? extends HasMetadata> pods() {
        return cluster.client().pods().inNamespace(NS).list().getItems();
    }

    /** Each Deployment, Service and Pod in the namespace, by kind and name, with its uid and resourceVersion. */
    private Map<String, String> objects() {
        KubernetesClient client = cluster.client();
        Map<String, String> objects = new TreeMap<>();
        Stream.of(client.apps().deployments().inNamespace(NS).list().getItems(),
                        client.services().inNamespace(NS).list().getItems(), pods())
                .flatMap(List::stream)
                .forEach(o -> objects.put(o.getKind() + "/" + o.getMetadata().getName(),
                        o.getMetadata().getUid() + "@" + o.getMetadata().getResourceVersion()));
        return objects;
    }
}
