package io.hotswap.ops;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping and starting the server keeps everything: aggregates from the event store, read models from their tables. */
class RestartTest {

    @TempDir
    Path data;

    @Test
    void keepsTenantsPluginsAndDeploymentsAcrossARestart() {
        String database = TestDatabase.create();
        String deploymentId;
        try (ConfigurableApplicationContext first = start(database)) {
            Http http = TestServers.http(first);
            String token = TestServers.admin(first);
            assertThat(http.postJson("/api/v1/tenants", token, """
                    {"tenantId": "tenant-kept", "name": "Kept", "namespace": "kept",
                     "quotas": {"maxPlugins": 3, "maxCpu": 4, "maxMemoryGB": 8}}""").status()).isEqualTo(201);
            assertThat(http.postMultipart("/api/v1/plugins", token, Http.Part.text("pluginId", "kept-plugin"),
                    Http.Part.text("version", "1.0.0"), Http.Part.file("binary", "k.jar", "kept".getBytes())).status())
                    .isEqualTo(201);
            Http.Response started = http.postJson("/api/v1/plugin-deployments", token, """
                    {"pluginId": "kept-plugin", "pluginVersion": "1.0.0", "tenantId": "tenant-kept",
                     "environment": "Production", "totalInstances": 2}""");
            assertThat(started.status()).isEqualTo(202);
            deploymentId = started.json().get("deploymentId").asText();
            String id = deploymentId;
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/plugin-deployments/" + id, token).status() == 200);
        }

        try (ConfigurableApplicationContext second = start(database)) {
            Http http = TestServers.http(second);
            String token = TestServers.admin(second);
            assertThat(http.get("/api/v1/tenants/tenant-kept", token).json().get("usage").get("plugins").asInt()).isEqualTo(1);
            assertThat(http.get("/api/v1/plugins/kept-plugin", token).json().get("latestVersion").asText()).isEqualTo("1.0.0");
            assertThat(http.get("/api/v1/plugin-deployments/" + deploymentId, token).json().get("status").asText())
                    .isEqualTo("InProgress");
            // the aggregates were rebuilt from the event store: their rules still hold
            assertThat(http.postJson("/api/v1/plugin-deployments", token, """
                    {"pluginId": "kept-plugin", "pluginVersion": "1.0.0", "tenantId": "tenant-kept",
                     "environment": "Production", "totalInstances": 2}""").json().get("activeDeploymentId").asText())
                    .isEqualTo(deploymentId);
            assertThat(http.get("/api/v1/plugins/kept-plugin/versions/1.0.0/binary", token).bytes()).isEqualTo("kept".getBytes());
        }
    }

    private ConfigurableApplicationContext start(String database) {
        return TestServers.start("--spring.datasource.url=" + database, "--Data.Directory=" + data,
                "--RateLimiting.DefaultRequestsPerMinute=1000000");
    }
}
