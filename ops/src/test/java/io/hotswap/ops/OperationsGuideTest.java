package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.bench.SamplePlugins;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The guide's "Operations" section, request by request, as an operator would copy it (headers included). */
class OperationsGuideTest extends ServerTest {

    @Test
    void guideFlowFromTenantToRollback() throws Exception {
        Http.Response tenant = http.postJson("/api/v1/tenants", admin, """
                {
                    "tenantId": "tenant-acme-corp",
                    "name": "Acme Corporation",
                    "namespace": "tenant-acme",
                    "quotas": {
                      "maxPlugins": 20,
                      "maxCpu": 8.0,
                      "maxMemoryGB": 16
                    }
                  }""");
        assertThat(tenant.status()).isEqualTo(201);
        assertThat(tenant.header("Location")).isEqualTo("/api/v1/tenants/tenant-acme-corp");
        assertThat(tenant.json().get("namespace").asText()).isEqualTo("tenant-acme");

        byte[] binary = SamplePlugins.healthy();
        Http.Response plugin = registerPlugin("payment-stripe", "2.0.0", binary,
                "{\"description\": \"Stripe payments\", \"resources\": {\"cpu\": 0.5, \"memoryMB\": 512}}");
        assertThat(plugin.status()).isEqualTo(201);
        assertThat(plugin.json().get("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary)));

        Http.Response started = http.postJson("/api/v1/plugin-deployments", admin, """
                {
                    "pluginId": "payment-stripe",
                    "pluginVersion": "2.0.0",
                    "tenantId": "tenant-acme-corp",
                    "environment": "Production",
                    "strategy": "Canary",
                    "strategyConfig": {
                      "stages": "10,30,50,100",
                      "stageInterval": "300"
                    },
                    "totalInstances": 10
                  }""");
        assertThat(started.status()).isEqualTo(202);
        String deploymentId = started.json().get("deploymentId").asText();
        assertThat(started.json().get("status").asText()).isEqualTo("Queued");
        assertThat(started.json().at("/plan/steps").findValuesAsText("instances")).containsExactly("1", "3", "5", "10");

        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/plugin-deployments/" + deploymentId, admin)
                .json().path("currentStage").asInt() == 1);
        JsonNode deployment = http.get("/api/v1/plugin-deployments/" + deploymentId, admin).json();
        assertThat(deployment.get("status").asText()).isEqualTo("InProgress");
        assertThat(deployment.get("currentPercentage").asInt()).isEqualTo(10);
        assertThat(deployment.get("totalInstances").asInt()).isEqualTo(10);
        assertThat(deployment.get("history").get(0).get("event").asText()).isEqualTo("DeploymentStarted");
        JsonNode usage = http.get("/api/v1/tenants/tenant-acme-corp", admin).json().get("usage");
        assertThat(usage.get("plugins").asInt()).isEqualTo(1);
        assertThat(usage.get("cpu").asDouble()).isEqualTo(5.0);
        assertThat(usage.get("memoryGB").asDouble()).isEqualTo(5.0);

        Http.Response health = http.get("/api/v1/plugin-deployments/" + deploymentId + "/health", admin);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("deploymentId").asText()).isEqualTo(deploymentId);

        // the guide's rollback sends no Content-Type: curl -d defaults to application/x-www-form-urlencoded
        Http.Response rollback = http.post("/api/v1/plugin-deployments/" + deploymentId + "/rollback", admin,
                "application/x-www-form-urlencoded", "{\"reason\": \"High error rate detected\"}");
        assertThat(rollback.status()).isEqualTo(202);
        assertThat(rollback.json().get("status").asText()).isEqualTo("RollingBack");

        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/plugin-deployments/" + deploymentId, admin)
                .json().get("status").asText().equals("RolledBack"));
        awaitProjections();
        deployment = http.get("/api/v1/plugin-deployments/" + deploymentId, admin).json();
        assertThat(deployment.get("rollbackReason").asText()).isEqualTo("High error rate detected");
        assertThat(deployment.get("history").findValuesAsText("event")).containsExactly("DeploymentStarted",
                "DeploymentActivated", "DeploymentStageAdvanced", "DeploymentRollbackStarted", "DeploymentRolledBack");
        // the quota goes back to the tenant right after the rollback, through the tenant-quota policy
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                http.get("/api/v1/tenants/tenant-acme-corp", admin).json().at("/usage/cpu").asDouble()).isZero());

        Http.Response validation = http.post("/api/v1/plugin-deployments/validate-dependencies", admin,
                "application/x-www-form-urlencoded",
                "{\"pluginId\": \"payment-stripe\", \"pluginVersion\": \"2.0.0\", \"tenantId\": \"tenant-acme-corp\"}");
        assertThat(validation.status()).isEqualTo(200);
        assertThat(validation.json().get("valid").asBoolean()).isTrue();

        Http.Response serviceHealth = http.get("/health", null);
        assertThat(serviceHealth.status()).isEqualTo(200);
        assertThat(serviceHealth.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void reRegisteringTheSameBinaryIsIdempotentAndAnotherBinaryConflicts() {
        byte[] binary = "a plugin".getBytes();
        assertThat(registerPlugin("idempotent-plugin", "1.0.0", binary, "{}").status()).isEqualTo(201);
        long events = storedEvents();

        Http.Response again = registerPlugin("idempotent-plugin", "1.0.0", binary, "{}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("created").asBoolean()).isFalse();
        assertThat(storedEvents()).isEqualTo(events);

        Http.Response other = registerPlugin("idempotent-plugin", "1.0.0", "another plugin".getBytes(), "{}");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().get("type").asText()).isEqualTo("urn:hotswap:problem:version-exists");
        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void downloadsTheBinaryByteForByte() {
        byte[] binary = new byte[1_000_000];
        new Random(3).nextBytes(binary);
        registerPlugin("download-me", "3.1.4", binary, "{}");
        awaitProjections();
        Http.Response download = http.get("/api/v1/plugins/download-me/versions/3.1.4/binary", admin);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.bytes()).isEqualTo(binary);
    }

    @Test
    void listsTheCatalogueWithTheNewestVersionFirst() {
        for (String version : new String[]{"1.0.0", "1.10.0", "1.2.0", "2.0.0-rc.1"}) {
            registerPlugin("catalogue-entry", version, version.getBytes(), "{}");
        }
        awaitProjections();
        JsonNode plugin = http.get("/api/v1/plugins/catalogue-entry", admin).json();
        assertThat(plugin.get("versions").findValuesAsText("version")).containsExactly("2.0.0-rc.1", "1.10.0", "1.2.0", "1.0.0");
        JsonNode page = http.get("/api/v1/plugins?search=catalogue&size=5", admin).json();
        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("latestVersion").asText()).isEqualTo("2.0.0-rc.1");
    }

    @Test
    void refusesASecondActiveDeploymentOfThePluginToTheSameEnvironment() {
        createTenant("tenant-busy", "busy");
        registerPlugin("busy-plugin", "1.0.0", "busy".getBytes(), "{}");
        String first = startDeployment("tenant-busy", "busy-plugin", "1.0.0", "Production");
        long events = storedEvents();

        Http.Response second = http.postJson("/api/v1/plugin-deployments", admin, """
                {"pluginId": "busy-plugin", "pluginVersion": "1.0.0", "tenantId": "tenant-busy",
                 "environment": "Production", "totalInstances": 2}""");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("activeDeploymentId").asText()).isEqualTo(first);
        assertThat(storedEvents()).isEqualTo(events);

        assertThat(startDeployment("tenant-busy", "busy-plugin", "1.0.0", "Staging")).isNotEqualTo(first);
    }

    @Test
    void refusesADeploymentBeyondTheTenantQuotaWithTheNumbers() {
        createTenant("tenant-small", "small");
        registerPlugin("hungry-plugin", "1.0.0", "hungry".getBytes(), "{\"resources\": {\"cpu\": 4, \"memoryMB\": 1024}}");
        long events = storedEvents();
        Http.Response refused = http.postJson("/api/v1/plugin-deployments", admin, """
                {"pluginId": "hungry-plugin", "pluginVersion": "1.0.0", "tenantId": "tenant-small",
                 "environment": "Production", "totalInstances": 3}""");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asText()).isEqualTo("urn:hotswap:problem:quota-exceeded");
        assertThat(refused.json().get("quota").asText()).isEqualTo("maxCpu");
        assertThat(refused.json().get("required").asDouble()).isEqualTo(12.0);
        assertThat(refused.json().get("limit").asDouble()).isEqualTo(8.0);
        assertThat(storedEvents()).isEqualTo(events);
    }
}
