package io.hotswap.ops.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerProcess;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who owns the plugin processes, tried with a real server in its own JVM: killed with SIGKILL at many instants of
 * canaries and rollbacks, and stopped with SIGTERM. After every start, each process launched from the data directory
 * is one the runtime recorded (none belongs to nobody, none runs twice); completed deployments' instances are all back
 * before the server answers; each stage happens once; and nothing launched from the directory survives a normal stop.
 */
class PluginProcessOwnershipTest {

    private static final String TENANT = "tenant-owned";
    private static final int INSTANCES = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private ServerProcess server;
    private String database;

    @AfterEach
    void cleanUp() {
        if (server != null) server.close();
    }

    @Test
    void completedDeploymentsRunAgainAfterSigkillAndAfterSigterm() throws Exception {
        Http http = startWithTenant("completed");
        String token = server.adminToken();
        registerVersion(http, token, "alpha", "1.0.0", SamplePlugins.healthy());
        registerVersion(http, token, "beta", "1.0.0", SamplePlugins.healthy());
        String alpha = deploy(http, token, "alpha", "1.0.0", "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        String beta = deploy(http, token, "beta", "1.0.0", "\"stages\": \"100\", \"healthCheckInterval\": \"1\"");
        awaitStatus(http, token, alpha, "Completed");
        awaitStatus(http, token, beta, "Completed");
        Set<String> instances = server.pluginProcesses().keySet();
        assertThat(instances).hasSize(2 * INSTANCES);

        // SIGKILL: the plugins outlive the server; one of them dies while it is down
        server.kill();
        ProcessHandle lost = server.pluginProcesses().values().iterator().next().get(0);
        lost.destroyForcibly();
        lost.onExit().join();
        Instant restart = Instant.now();
        server.start();
        assertThat(server.pluginProcesses().keySet()).as("every recorded instance runs again before /health answers")
                .isEqualTo(instances);
        awaitAllHealthy(http, token, restart, alpha, beta);
        System.out.printf("after SIGKILL: all %d instances healthy %d ms after the restart began%n", instances.size(),
                Duration.between(restart, Instant.now()).toMillis());

        // SIGTERM: nothing launched from the data directory survives a normal stop, and all of it comes back
        Map<String, Integer> restartsBeforeStop = restarts(http, token, alpha, beta);
        assertThat(restartsBeforeStop.values()).as("only the instance lost while the server was down restarted")
                .containsOnlyOnce(1).containsOnly(0, 1);
        server.stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> server.pluginProcesses().isEmpty());
        restart = Instant.now();
        server.start();
        assertThat(server.pluginProcesses().keySet()).isEqualTo(instances);
        awaitAllHealthy(http, token, restart, alpha, beta);
        System.out.printf("after SIGTERM: all %d instances healthy %d ms after the restart began%n", instances.size(),
                Duration.between(restart, Instant.now()).toMillis());
        assertThat(restarts(http, token, alpha, beta)).as("a normal stop and start is no restart")
                .isEqualTo(restartsBeforeStop);
        assertThat(exactlyOneProcessPerRecordedInstance()).isTrue();

        server.stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> server.pluginProcesses().isEmpty());
    }

    /**
     * Kills the server at instants drawn from a seeded random schedule ({@code -Downership.seed=...} replays one)
     * while canaries of a healthy and a failing version take turns, so kills land before and after spawns, stage
     * changes and rollbacks.
     */
    @Test
    void aServerKilledAtAnyInstantLeavesNoProcessThatNobodyOwns() throws Exception {
        long seed = Long.getLong("ownership.seed", System.nanoTime());
        int kills = Integer.getInteger("ownership.kills", 15);
        System.out.println("PluginProcessOwnershipTest seed " + seed + " (replay with -Downership.seed=" + seed + ")");
        Random random = new Random(seed);
        Http http = startWithTenant("killed");
        String token = server.adminToken();
        String config = "\"stages\": \"25,50,75,100\", \"stageInterval\": \"1\", \"healthCheckInterval\": \"1\", "
                + "\"failureThreshold\": \"2\"";

        List<String> deployments = new ArrayList<>();
        int version = 0;
        for (int kill = 1; kill <= kills; kill++) {
            String current = deployments.isEmpty() ? null : deployments.get(deployments.size() - 1);
            if (current == null || isTerminal(status(http, token, current))) {
                version++;
                registerVersion(http, token, "owned", version + ".0.0",
                        version % 2 == 0 ? SamplePlugins.failing() : SamplePlugins.healthy());
                deployments.add(deploy(http, token, "owned", version + ".0.0", config));
            }
            Thread.sleep(random.nextInt(2500));
            server.kill();
            server.start();
            int afterKill = kill;
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(orphansAndTwins()).as("after kill %d (seed %d)", afterKill, seed).isEmpty());
        }

        String last = deployments.get(deployments.size() - 1);
        String end = await().atMost(Duration.ofSeconds(120)).until(() -> status(http, token, last), this::isTerminal);
        int wanted = end.equals("Completed") ? INSTANCES : deployments.size() > 1 ? INSTANCES : 0;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(server.pluginProcesses()).hasSize(wanted);
            assertThat(exactlyOneProcessPerRecordedInstance()).isTrue();
        });
        for (String id : deployments) {
            assertThat(stagesOf(id)).as("stages of %s (seed %d)", id, seed).doesNotHaveDuplicates().isSorted();
        }
        System.out.printf("%d kills over %d deployments (seed %d)%n", kills, deployments.size(), seed);

        server.stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> server.pluginProcesses().isEmpty());
    }

    private Http startWithTenant(String name) throws Exception {
        database = TestDatabase.create();
        server = new ServerProcess(data, database, "ownership-" + name).start();
        Http http = server.http();
        Http.Response tenant = http.postJson("/api/v1/tenants", server.adminToken(), """
                {"tenantId": "%s", "name": "Owned", "namespace": "owned",
                 "quotas": {"maxPlugins": 5, "maxCpu": 8, "maxMemoryGB": 16}}""".formatted(TENANT));
        assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
        return http;
    }

    private static void registerVersion(Http http, String token, String pluginId, String version, byte[] jar) {
        Http.Response response = http.postMultipart("/api/v1/plugins", token, Http.Part.text("pluginId", pluginId),
                Http.Part.text("version", version), Http.Part.file("binary", pluginId + ".jar", jar));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http.get("/api/v1/plugins/" + pluginId + "/versions/" + version, token).status() == 200);
    }

    private static String deploy(Http http, String token, String pluginId, String version, String config) {
        Http.Response started = http.postJson("/api/v1/plugin-deployments", token, """
                {"pluginId": "%s", "pluginVersion": "%s", "tenantId": "%s", "environment": "Production",
                 "strategyConfig": {%s}, "totalInstances": %d}""".formatted(pluginId, version, TENANT, config, INSTANCES));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return started.json().get("deploymentId").asText();
    }

    private static void awaitStatus(Http http, String token, String id, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> status(http, token, id), status::equals);
    }

    /** Every deployment answered healthy by a check made after {@code since}. */
    private static void awaitAllHealthy(Http http, String token, Instant since, String... ids) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (String id : ids) {
                JsonNode health = http.get("/api/v1/plugin-deployments/" + id + "/health", token).json();
                if (!health.get("overall").asText().equals("Healthy") || health.get("checkedAt").isNull()
                        || Instant.parse(health.get("checkedAt").asText()).isBefore(since)) return false;
            }
            return true;
        });
    }

    /** Each instance's restart count, as the deployments' latest health checks saw it. */
    private static Map<String, Integer> restarts(Http http, String token, String... ids) {
        Map<String, Integer> restarts = new java.util.TreeMap<>();
        for (String id : ids) {
            for (JsonNode instance : http.get("/api/v1/plugin-deployments/" + id + "/health", token).json().get("instances")) {
                restarts.put(instance.get("instanceId").asText(), instance.get("restarts").asInt());
            }
        }
        return restarts;
    }

    private static String status(Http http, String token, String id) {
        Http.Response response = http.get("/api/v1/plugin-deployments/" + id, token);
        return response.status() == 200 ? response.json().get("status").asText() : "unknown";
    }

    private boolean isTerminal(String status) {
        return Set.of("Completed", "RolledBack", "Failed").contains(status);
    }

    /** Processes launched from the data directory that no record names, and instances running more than once. */
    private List<String> orphansAndTwins() throws SQLException {
        Set<String> recorded = new HashSet<>(recordedInstances());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, List<ProcessHandle>> running : server.pluginProcesses().entrySet()) {
            if (!recorded.contains(running.getKey())) wrong.add(running.getKey() + " runs without a record");
            if (running.getValue().size() > 1) wrong.add(running.getKey() + " runs " + running.getValue().size() + " times");
        }
        return wrong;
    }

    private boolean exactlyOneProcessPerRecordedInstance() throws SQLException {
        Map<String, List<ProcessHandle>> running = server.pluginProcesses();
        return running.keySet().equals(new HashSet<>(recordedInstances()))
                && running.values().stream().allMatch(processes -> processes.size() == 1);
    }

    private List<String> recordedInstances() throws SQLException {
        try (Connection connection = DriverManager.getConnection(database);
             var rows = connection.createStatement().executeQuery("SELECT instance_id FROM runtime_instance")) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) ids.add(rows.getString(1));
            return ids;
        }
    }

    private List<Integer> stagesOf(String deploymentId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database);
             var query = connection.prepareStatement("""
                     SELECT sequence_number, payload FROM domain_event_entry WHERE aggregate_identifier = ?
                       AND payload_type LIKE '%DeploymentStageAdvanced' ORDER BY sequence_number""")) {
            query.setString(1, deploymentId);
            List<Integer> stages = new ArrayList<>();
            try (var rows = query.executeQuery()) {
                while (rows.next()) stages.add(JSON.readTree(rows.getBytes(2)).get("stage").asInt());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return stages;
        }
    }
}
