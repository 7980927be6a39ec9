package io.hotswap.ops.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Deployments run by the saga against real plugin processes over real HTTP health checks, with persistent
 * deadlines on PostgreSQL. Intervals are shortened through strategyConfig, as an operator would.
 */
@TestPropertySource(properties = "Deployment.MaxConcurrentDeployments=3")
@AutoConfigureObservability
class OrchestrationTest extends ServerTest {

    private static final AtomicInteger TENANTS = new AtomicInteger();

    @Autowired
    private PluginRuntime runtime;
    @LocalManagementPort
    private int managementPort;

    private String tenant;

    @BeforeEach
    void freshTenant() {
        int n = TENANTS.incrementAndGet();
        tenant = createTenant("tenant-orch-" + n, "orch-" + n);
    }

    @Test
    void healthyCanaryWalksEveryStageWithMatchingProcessesAndCompletes() {
        register("canary-ok", "1.0.0", SamplePlugins.healthy(), "{}");
        String id = deploy("canary-ok", "1.0.0", 4, "\"stages\": \"25,50,100\", \"stageInterval\": \"1\", \"healthCheckInterval\": \"1\"");

        JsonNode completed = awaitStatus(id, "Completed");

        // each stage moved on only after a health check saw exactly its instances running, all healthy
        List<String> stagesAndChecks = new ArrayList<>();
        for (JsonNode entry : completed.get("history")) {
            String event = entry.get("event").asText();
            if (event.equals("DeploymentStageAdvanced")) stagesAndChecks.add(entry.get("percentage").asInt() + "%");
            if (event.equals("HealthCheckRecorded") && entry.get("detail").asText().startsWith("healthy")
                    && !stagesAndChecks.get(stagesAndChecks.size() - 1).contains("checked")) {
                int last = stagesAndChecks.size() - 1;
                stagesAndChecks.set(last, stagesAndChecks.get(last) + " checked " + entry.get("detail").asText());
            }
        }
        assertThat(stagesAndChecks).containsExactly("25% checked healthy (1 instances)",
                "50% checked healthy (2 instances)", "100% checked healthy (4 instances)");
        assertThat(runtime.running(target("canary-ok"))).containsExactly(Map.entry("1.0.0", 4));
        assertThat(events(id)).filteredOn(event -> !event.equals("HealthCheckRecorded")).containsExactly(
                "DeploymentStarted", "DeploymentActivated", "DeploymentStageAdvanced", "DeploymentStageAdvanced",
                "DeploymentStageAdvanced", "DeploymentCompleted");
        // below the server's CPU priority (Runtime.Niceness), so starting plugins never starves the deadlines
        assertThat(jdbc.sql("SELECT pid FROM runtime_instance WHERE tenant_id = ?").param(tenant).query(Long.class).list())
                .hasSize(4).allSatisfy(pid -> assertThat(niceness(pid)).isEqualTo(10));
    }

    @Test
    void failingCanaryIsRolledBackAutomaticallyToThePreviousVersion() {
        register("canary-bad", "1.0.0", SamplePlugins.healthy(), "{}");
        awaitStatus(deploy("canary-bad", "1.0.0", 3, "\"stages\": \"100\", \"healthCheckInterval\": \"1\""), "Completed");
        register("canary-bad", "2.0.0", SamplePlugins.failing(), "{}");

        String id = deploy("canary-bad", "2.0.0", 3, "\"stages\": \"34,100\", \"stageInterval\": \"1\", \"healthCheckInterval\": \"1\", \"failureThreshold\": \"2\"");
        JsonNode rolledBack = awaitStatus(id, "RolledBack");

        assertThat(rolledBack.get("rollbackReason").asText())
                .startsWith("stage 1 failed 2 health checks in a row").contains("(2.0.0) Unhealthy: GET /health answered 500");
        assertThat(rolledBack.get("rolledBackBy").asText()).isEqualTo("system");
        assertThat(runtime.running(target("canary-bad"))).containsExactly(Map.entry("1.0.0", 3));
        assertThat(events(id)).containsSubsequence("DeploymentStageAdvanced", "HealthCheckRecorded",
                "HealthCheckRecorded", "DeploymentRollbackStarted", "DeploymentRolledBack");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                http.get("/api/v1/tenants/" + tenant, admin).json().at("/usage/cpu").asDouble()).isCloseTo(0.3, within(1e-9)));
    }

    @Test
    void pluginThatNeverAnswersIsRolledBackAtItsProgressDeadline() {
        register("never-ready", "1.0.0", SamplePlugins.neverReady(), "{}");
        String id = deploy("never-ready", "1.0.0", 2, "\"stages\": \"50,100\", \"healthCheckInterval\": \"1\", \"progressDeadline\": \"3\"");

        JsonNode rolledBack = awaitStatus(id, "RolledBack");
        assertThat(rolledBack.get("rollbackReason").asText()).startsWith("stage 1 was not healthy within 3 s")
                .contains("Starting: not answering on port");
        assertThat(runtime.running(target("never-ready"))).isEmpty();
    }

    @Test
    void pauseHoldsTheStageResumeContinuesAndPromoteSkipsToTheEnd() {
        register("pausable", "1.0.0", SamplePlugins.healthy(), "{}");
        String id = deploy("pausable", "1.0.0", 4, "\"stages\": \"25,50,75,100\", \"stageInterval\": \"2\", \"healthCheckInterval\": \"1\"");
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment(id).get("currentStage").asInt() == 1);

        assertThat(lifecycle(id, "pause").json().get("status").asText()).isEqualTo("Paused");
        int pausedAt = deployment(id).get("currentStage").asInt();
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(deployment(id).get("currentStage").asInt()).isEqualTo(pausedAt);

        assertThat(lifecycle(id, "resume").json().get("status").asText()).isEqualTo("InProgress");
        assertThat(lifecycle(id, "promote").json().get("status").asText()).isEqualTo("InProgress");
        awaitStatus(id, "Completed");
        assertThat(events(id)).contains("DeploymentPaused", "DeploymentResumed", "DeploymentPromoted");
        assertThat(runtime.running(target("pausable"))).containsExactly(Map.entry("1.0.0", 4));
    }

    @Test
    void abortTakesTheNewInstancesDownAndEndsFailed() {
        register("abortable", "1.0.0", SamplePlugins.healthy(), "{}");
        String id = deploy("abortable", "1.0.0", 2, "\"stages\": \"50,100\", \"stageInterval\": \"60\", \"healthCheckInterval\": \"1\"");
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.running(target("abortable")).getOrDefault("1.0.0", 0) == 1);

        Http.Response abort = http.postJson("/api/v1/plugin-deployments/" + id + "/abort", admin, "{\"reason\": \"wrong build\"}");
        assertThat(abort.status()).isEqualTo(202);
        JsonNode failed = awaitStatus(id, "Failed");
        assertThat(failed.get("rollbackReason").asText()).isEqualTo("aborted by admin: wrong build");
        assertThat(runtime.running(target("abortable"))).isEmpty();
    }

    @Test
    void manualRollbackOfACompletedDeploymentRestoresThePreviousVersion() {
        register("restorable", "1.0.0", SamplePlugins.healthy(), "{}");
        awaitStatus(deploy("restorable", "1.0.0", 2, "\"stages\": \"100\", \"healthCheckInterval\": \"1\""), "Completed");
        register("restorable", "1.1.0", SamplePlugins.healthy(), "{}");
        String id = deploy("restorable", "1.1.0", 2, "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        awaitStatus(id, "Completed");
        assertThat(runtime.running(target("restorable"))).containsExactly(Map.entry("1.1.0", 2));

        Http.Response rollback = http.postJson("/api/v1/plugin-deployments/" + id + "/rollback", admin, "{\"reason\": \"customers complain\"}");
        assertThat(rollback.json().get("status").asText()).isEqualTo("RollingBack");
        awaitStatus(id, "RolledBack");
        assertThat(runtime.running(target("restorable"))).containsExactly(Map.entry("1.0.0", 2));
        // the tenant holds the restored version's reservation again
        JsonNode next = http.postJson("/api/v1/plugin-deployments?dryRun=true", admin, body("restorable", "1.1.0", 2, "")).json();
        assertThat(next.get("previousVersion").asText()).isEqualTo("1.0.0");
    }

    @Test
    void dependenciesMustRunStableFirstAndCannotBeRolledBackFromUnderADependent() {
        register("core-lib", "1.2.0", SamplePlugins.healthy(), "{}");
        register("uses-core", "1.0.0", SamplePlugins.healthy(),
                "{\"dependencies\": [{\"pluginId\": \"core-lib\", \"versionRange\": \"^1.2.0\"}]}");

        Http.Response early = http.postJson("/api/v1/plugin-deployments", admin, body("uses-core", "1.0.0", 1, ""));
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("type").asText()).isEqualTo("urn:hotswap:problem:dependencies-unmet");
        assertThat(early.json().get("missing").findValuesAsText("pluginId")).containsExactly("core-lib");
        assertThat(early.json().get("detail").asText()).contains("missing [core-lib ^1.2.0]")
                .doesNotContain("PluginDependency[");

        String core = deploy("core-lib", "1.2.0", 1, "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        awaitStatus(core, "Completed");
        awaitStatus(deploy("uses-core", "1.0.0", 1, "\"stages\": \"100\", \"healthCheckInterval\": \"1\""), "Completed");
        JsonNode valid = http.postJson("/api/v1/plugin-deployments/validate-dependencies", admin, """
                {"pluginId": "uses-core", "pluginVersion": "1.0.0", "tenantId": "%s", "environment": "Production"}"""
                .formatted(tenant)).json();
        assertThat(valid.get("valid").asBoolean()).isTrue();

        Http.Response refused = http.postJson("/api/v1/plugin-deployments/" + core + "/rollback", admin,
                "{\"reason\": \"x\", \"removePlugin\": true}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asText()).isEqualTo("urn:hotswap:problem:dependency-in-use");
        assertThat(refused.json().get("detail").asText()).contains("uses-core 1.0.0");
        assertThat(deployment(core).get("status").asText()).isEqualTo("Completed");
    }

    @Test
    void deploymentsBeyondMaxConcurrentWaitQueuedUntilASlotFrees() {
        register("queued", "1.0.0", SamplePlugins.healthy(), "{}");
        List<String> ids = new ArrayList<>();
        for (String environment : List.of("Env1", "Env2", "Env3", "Env4")) {
            Http.Response started = http.postJson("/api/v1/plugin-deployments", admin, """
                    {"pluginId": "queued", "pluginVersion": "1.0.0", "tenantId": "%s", "environment": "%s",
                     "strategyConfig": {"stages": "50,100", "stageInterval": "600", "healthCheckInterval": "1"},
                     "totalInstances": 2}""".formatted(tenant, environment));
            assertThat(started.status()).isEqualTo(202);
            ids.add(started.json().get("deploymentId").asText());
        }
        awaitProjections();
        await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().filter(id -> deployment(id).get("status").asText()
                .equals("InProgress")).count() == 3);
        assertThat(deployment(ids.get(3)).get("status").asText()).isEqualTo("Queued");

        lifecycleWithReason(ids.get(0), "abort", "make room");
        awaitStatus(ids.get(3), "InProgress");
        ids.subList(1, 4).forEach(id -> lifecycleWithReason(id, "abort", "done"));
    }

    @Test
    void streamsADeploymentsEventsLiveUntilItEnds() {
        register("streamed", "1.0.0", SamplePlugins.healthy(), "{}");
        String id = deploy("streamed", "1.0.0", 2, "\"stages\": \"50,100\", \"stageInterval\": \"1\", \"healthCheckInterval\": \"1\"");

        List<String> lines = http.streamLines("/api/v1/plugin-deployments/" + id + "/events", admin, null, Duration.ofSeconds(60));

        List<String> events = lines.stream().filter(line -> line.startsWith("event:"))
                .map(line -> line.substring("event:".length())).filter(e -> !e.equals("HealthCheckRecorded")).toList();
        assertThat(events).containsExactly("DeploymentStarted", "DeploymentActivated", "DeploymentStageAdvanced",
                "DeploymentStageAdvanced", "DeploymentCompleted");
        assertThat(lines).anyMatch(line -> line.startsWith("data:") && line.contains("\"percentage\":100"));
        // stages are numbered as the deployment's currentStage numbers them: from 1
        assertThat(lines.stream().filter(line -> line.startsWith("data:") && line.contains("DeploymentStageAdvanced"))
                .map(line -> line.replaceAll(".*\"stage\":(\\d+).*", "$1")).toList()).containsExactly("1", "2");

        // a client that reconnects after event 2 gets only what followed it
        List<String> resumed = http.streamLines("/api/v1/plugin-deployments/" + id + "/events", admin, "2", Duration.ofSeconds(10));
        assertThat(resumed.stream().filter(line -> line.startsWith("id:")).findFirst()).contains("id:3");
    }

    @Test
    void exportsDeploymentAndHealthCheckMetricsUnderTheGuidesNames() {
        register("measured", "1.0.0", SamplePlugins.healthy(), "{}");
        awaitStatus(deploy("measured", "1.0.0", 1, "\"stages\": \"100\", \"healthCheckInterval\": \"1\""), "Completed");

        String metrics = new Http(managementPort).get("/actuator/prometheus", null).bodyText();
        assertThat(metrics).contains("plugin_deployments_total{status=\"completed\"}",
                "plugin_deployments_total{status=\"started\"}", "plugin_deployments_duration_seconds_count{status=\"completed\"}",
                "plugin_health_check_total{status=\"healthy\"}", "plugin_health_check_duration_seconds_count{status=\"healthy\"}");
    }

    @Test
    void aDryRunAnswersThePlanAndTheQuotaAndStartsNothing() {
        register("dry", "1.0.0", SamplePlugins.healthy(), "{\"resources\": {\"cpu\": 0.5, \"memoryMB\": 512}}");
        long events = storedEvents();
        Http.Response dryRun = http.postJson("/api/v1/plugin-deployments?dryRun=true", admin, body("dry", "1.0.0", 10,
                "\"stages\": \"10,30,50,100\", \"stageInterval\": \"300\""));
        assertThat(dryRun.status()).isEqualTo(200);
        assertThat(dryRun.json().get("dryRun").asBoolean()).isTrue();
        assertThat(dryRun.json().at("/plan/steps").findValuesAsText("instances")).containsExactly("1", "3", "5", "10");
        assertThat(dryRun.json().get("reservedCpu").asDouble()).isEqualTo(5.0);
        assertThat(dryRun.json().get("reservedMemoryGB").asDouble()).isEqualTo(5.0);
        assertThat(storedEvents()).isEqualTo(events);
    }

    private String deploy(String pluginId, String version, int instances, String config) {
        return deploy(tenant, pluginId, version, instances, config);
    }

    private String body(String pluginId, String version, int instances, String config) {
        return deploymentJson(tenant, pluginId, version, instances, config);
    }

    private Http.Response lifecycle(String id, String action) {
        Http.Response response = http.post("/api/v1/plugin-deployments/" + id + "/" + action, admin, null, "");
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response;
    }

    private void lifecycleWithReason(String id, String action, String reason) {
        Http.Response response = http.postJson("/api/v1/plugin-deployments/" + id + "/" + action, admin,
                "{\"reason\": \"" + reason + "\"}");
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
    }

    private List<String> events(String id) {
        awaitProjections();
        return deployment(id).get("history").findValuesAsText("event");
    }

    @Test
    void theDeadlineTaskRetriesAFailedHandlerWithExponentialBackoffFromOneSecond(@Autowired List<Task<?>> tasks) {
        assertThat(tasks).filteredOn(task -> task.getName().equals("AxonDeadline")).singleElement()
                .extracting(Task::getFailureHandler)
                .isInstanceOf(FailureHandler.ExponentialBackoffFailureHandler.class);
    }

    /** Field 19 of /proc/<pid>/stat; the command name before it is in parentheses and may hold spaces. */
    private static int niceness(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DeploymentTarget target(String pluginId) {
        return new DeploymentTarget(tenant, pluginId, "Production");
    }
}
