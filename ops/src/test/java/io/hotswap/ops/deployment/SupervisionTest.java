package io.hotswap.ops.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a completed deployment keeps, with real plugin processes: its instances run on (one that dies is started
 * again, and the change is recorded), its health keeps being checked, a rollback restores the previous version at the
 * count it ran with, and the guide's upgrade fits the guide's quota.
 */
class SupervisionTest extends ServerTest {

    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static final String HALF_A_CORE = """
            {"resources": {"cpu": 0.5, "memoryMB": 256}}""";

    @Autowired
    private DeploymentRuntime runtime;
    @Autowired
    private MeterRegistry metrics;

    private String tenant;

    @BeforeEach
    void freshTenant() {
        int n = TENANTS.incrementAndGet();
        tenant = createTenant("tenant-kept-" + n, "kept-" + n); // the guide's quotas: 8 CPU, 16 GB
    }

    @Test
    void anInstanceOfACompletedDeploymentThatDiesIsStartedAgainAndTheChangeIsRecorded() {
        register("kept", "1.0.0", SamplePlugins.healthy(), "{}");
        String id = deploy(tenant, "kept", "1.0.0", 2, "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        awaitStatus(id, "Completed");

        // supervision checks every second and stores nothing while nothing changes
        Instant firstCheck = await().atMost(Duration.ofSeconds(10)).until(() -> checkedAt(id), at -> at != null);
        long eventsBefore = eventsOf(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> checkedAt(id).isAfter(firstCheck.plusSeconds(2)));
        assertThat(eventsOf(id)).isEqualTo(eventsBefore);

        String instance = jdbc.sql("SELECT instance_id FROM runtime_instance WHERE tenant_id = ? ORDER BY instance_id LIMIT 1")
                .param(tenant).query(String.class).single();
        long pid = pidOf(instance);
        Instant killed = Instant.now();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        JsonNode health = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> http.get("/api/v1/plugin-deployments/" + id + "/health", admin).json(),
                h -> h.get("overall").asText().equals("Healthy") && restartsOf(h, instance) == 1);
        System.out.printf("instance %s killed; its replacement answered healthy %d ms later%n", instance,
                Duration.between(killed, Instant.parse(health.get("checkedAt").asText())).toMillis());
        assertThat(pidOf(instance)).isNotEqualTo(pid);
        assertThat(ProcessHandle.of(pidOf(instance))).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(runtime.running(target("kept"))).containsExactly(Map.entry("1.0.0", 2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deployment(id).get("history"))
                .anySatisfy(entry -> {
                    assertThat(entry.get("event").asText()).isEqualTo("DeploymentHealthChanged");
                    assertThat(entry.get("detail").asText()).contains(instance + " restarted (1 restart");
                }));
    }

    @Test
    void anInstanceThatStopsAnsweringIsReplacedAfterFailureThresholdChecks() throws Exception {
        register("frozen", "1.0.0", SamplePlugins.healthy(), """
                {"healthCheck": {"path": "/health", "timeoutSeconds": 1}}""");
        String id = deploy(tenant, "frozen", "1.0.0", 1,
                "\"stages\": \"100\", \"healthCheckInterval\": \"1\", \"failureThreshold\": \"2\"");
        awaitStatus(id, "Completed");
        String instance = jdbc.sql("SELECT instance_id FROM runtime_instance WHERE tenant_id = ?").param(tenant)
                .query(String.class).single();
        long frozen = pidOf(instance);

        // SIGSTOP: the process is there, but answers nothing
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(frozen)).start().waitFor()).isZero();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode health = http.get("/api/v1/plugin-deployments/" + id + "/health", admin).json();
            return health.get("overall").asText().equals("Healthy") && restartsOf(health, instance) == 1;
        });
        assertThat(pidOf(instance)).isNotEqualTo(frozen);
        assertThat(ProcessHandle.of(frozen)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deployment(id).get("history"))
                .anySatisfy(entry -> assertThat(entry.get("detail").asText()).contains("NotAnswering")));
    }

    @Test
    void anInstanceThatKeepsExitingIsReportedCrashLoopingAndRecoversOnceItStaysUp(@TempDir Path files) throws Exception {
        Path crash = files.resolve("crash");
        register("looping", "1.0.0", SamplePlugins.exitingWhile(crash), "{}");
        String id = deploy(tenant, "looping", "1.0.0", 1, "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        awaitStatus(id, "Completed");
        String instance = jdbc.sql("SELECT instance_id FROM runtime_instance WHERE tenant_id = ?").param(tenant)
                .query(String.class).single();

        Files.createFile(crash); // from now on it exits with code 3 as soon as it starts
        ProcessHandle.of(pidOf(instance)).orElseThrow().destroyForcibly();

        JsonNode looping = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                () -> http.get("/api/v1/plugin-deployments/" + id + "/health", admin).json(),
                h -> h.get("overall").asText().equals("CrashLooping"));
        assertThat(looping.at("/instances/0/state").asText()).isEqualTo("CrashLooping");
        assertThat(looping.at("/instances/0/detail").asText()).contains("exited with code 3").contains("next start in");
        assertThat(looping.at("/instances/0/restarts").asInt()).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deployment(id).get("history"))
                .anySatisfy(entry -> assertThat(entry.get("detail").asText()).contains("→ CrashLooping")));
        assertThat(metrics.find("plugin.instance.crash.loops").tag("plugin", "looping").counter())
                .isNotNull().satisfies(counter -> assertThat(counter.count()).isEqualTo(1.0));

        Files.delete(crash);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> http.get(
                "/api/v1/plugin-deployments/" + id + "/health", admin).json().get("overall").asText().equals("Healthy"));
    }

    @Test
    void aDeploymentCompletedByAnEarlierBuildIsSupervisedFromTheNextStart(
            @Autowired SupervisionOfEarlierDeployments earlier) {
        register("older", "1.0.0", SamplePlugins.healthy(), "{}");
        String id = deploy(tenant, "older", "1.0.0", 2, "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        awaitStatus(id, "Completed");
        // as an earlier build left it after a normal stop: no saga, and no instance recorded or running
        jdbc.sql("DELETE FROM saga_entry WHERE saga_id IN (SELECT saga_id FROM association_value_entry WHERE association_value = ?)")
                .param(id).update();
        jdbc.sql("DELETE FROM association_value_entry WHERE saga_id NOT IN (SELECT saga_id FROM saga_entry)").update();
        runtime.scale(target("older"), "1.0.0", 0);
        assertThat(earlier.unsupervisedStableDeployments()).contains(id);

        earlier.superviseWhatEarlierBuildsCompleted();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(runtime.running(target("older"))).containsExactly(Map.entry("1.0.0", 2)));
        Instant now = Instant.now();
        await().atMost(Duration.ofSeconds(20)).until(() -> checkedAt(id) != null && checkedAt(id).isAfter(now)
                && http.get("/api/v1/plugin-deployments/" + id + "/health", admin).json().get("overall").asText().equals("Healthy"));
        assertThat(earlier.unsupervisedStableDeployments()).doesNotContain(id);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deployment(id).get("history")
                .findValuesAsText("event")).contains("DeploymentSupervisionStarted"));
    }

    @Test
    void aRollbackRestoresThePreviousVersionAtTheCountItRanWithAndTheUsageSaysSo() {
        register("sized", "2.0.0", SamplePlugins.healthy(), HALF_A_CORE);
        String stable = deploy(tenant, "sized", "2.0.0", 4, "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        awaitStatus(stable, "Completed");
        register("sized", "2.1.0", SamplePlugins.failing(), HALF_A_CORE);

        String failing = deploy(tenant, "sized", "2.1.0", 2,
                "\"stages\": \"50,100\", \"healthCheckInterval\": \"1\", \"failureThreshold\": \"2\"");
        awaitStatus(failing, "RolledBack");

        assertThat(runtime.running(target("sized"))).containsExactly(Map.entry("2.0.0", 4));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode restored = deployment(stable);
            assertThat(restored.get("status").asText()).isEqualTo("Completed");
            assertThat(restored.at("/instances/desired").asInt()).isEqualTo(4);
            assertThat(restored.at("/instances/healthy").asInt()).isEqualTo(4);
            assertThat(restored.at("/instances/byVersion/2.0.0").asInt()).isEqualTo(4);
            assertThat(http.get("/api/v1/tenants/" + tenant, admin).json().at("/usage/cpu").asDouble()).isEqualTo(2.0);
        });
    }

    @Test
    void theGuidesTenantUpgradesTheGuidesTenInstanceCanaryWithinItsQuota() {
        register("stripe-payments", "2.0.0", SamplePlugins.healthy(), HALF_A_CORE);
        awaitStatus(deploy(tenant, "stripe-payments", "2.0.0", 10, "\"stages\": \"100\""), "Completed");
        register("stripe-payments", "2.1.0", SamplePlugins.healthy(), HALF_A_CORE);

        // a canary never runs more than the larger of the two sets: 10 instances, 5 of the 8 CPU
        Http.Response canary = http.postJson("/api/v1/plugin-deployments", admin, deploymentJson(tenant,
                "stripe-payments", "2.1.0", 10, "\"stages\": \"10,30,50,100\", \"stageInterval\": \"300\""));
        assertThat(canary.status()).as(canary.toString()).isEqualTo(202);
        assertThat(canary.json().get("reservedCpu").asDouble()).isEqualTo(0.0);
        String id = canary.json().get("deploymentId").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http.get("/api/v1/tenants/" + tenant, admin).json().at("/usage/cpu").asDouble()).isEqualTo(5.0));
        assertThat(http.postJson("/api/v1/plugin-deployments/" + id + "/abort", admin, "{\"reason\": \"done\"}").status())
                .isEqualTo(202);
        awaitStatus(id, "Failed");

        // BlueGreen runs both sets side by side: 10 CPU, over the quota of 8
        Http.Response blueGreen = http.postJson("/api/v1/plugin-deployments?dryRun=true", admin, """
                {"pluginId": "stripe-payments", "pluginVersion": "2.1.0", "tenantId": "%s", "environment": "Production",
                 "strategy": "BlueGreen", "totalInstances": 10}""".formatted(tenant));
        assertThat(blueGreen.status()).isEqualTo(409);
        assertThat(blueGreen.json().get("type").asText()).isEqualTo("urn:hotswap:problem:quota-exceeded");
        assertThat(blueGreen.json().get("detail").asText()).contains("needs 10 CPU cores in all, the quota is 8");
    }

    @Test
    void aManualRollbackOfACompletedFirstInstallIsRefusedUnlessItMeansToRemoveThePlugin() {
        register("only", "1.0.0", SamplePlugins.healthy(), "{}");
        String id = deploy(tenant, "only", "1.0.0", 1, "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        awaitStatus(id, "Completed");
        long events = storedEvents();

        Http.Response refused = http.postJson("/api/v1/plugin-deployments/" + id + "/rollback", admin,
                "{\"reason\": \"High error rate detected\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asText()).isEqualTo("urn:hotswap:problem:nothing-to-restore");
        assertThat(refused.json().get("detail").asText()).contains("\"removePlugin\": true");
        assertThat(storedEvents()).isEqualTo(events);
        assertThat(runtime.running(target("only"))).containsExactly(Map.entry("1.0.0", 1));

        Http.Response removed = http.postJson("/api/v1/plugin-deployments/" + id + "/rollback", admin,
                "{\"reason\": \"retire it\", \"removePlugin\": true}");
        assertThat(removed.status()).isEqualTo(202);
        awaitStatus(id, "RolledBack");
        assertThat(runtime.running(target("only"))).isEmpty();
    }

    private Instant checkedAt(String deploymentId) {
        JsonNode checked = http.get("/api/v1/plugin-deployments/" + deploymentId + "/health", admin).json().get("checkedAt");
        return checked == null || checked.isNull() ? null : Instant.parse(checked.asText());
    }

    private long eventsOf(String deploymentId) {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?").param(deploymentId)
                .query(Long.class).single();
    }

    private long pidOf(String instanceId) {
        return jdbc.sql("SELECT pid FROM runtime_instance WHERE instance_id = ?").param(instanceId).query(Long.class).single();
    }

    private static int restartsOf(JsonNode health, String instanceId) {
        for (JsonNode instance : health.get("instances")) {
            if (instance.get("instanceId").asText().equals(instanceId)) return instance.get("restarts").asInt();
        }
        return -1;
    }

    private DeploymentTarget target(String pluginId) {
        return new DeploymentTarget(tenant, pluginId, "Production");
    }
}
