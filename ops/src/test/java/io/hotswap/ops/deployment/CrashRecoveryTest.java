package io.hotswap.ops.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerProcess;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.bench.SamplePlugins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server killed with SIGKILL in the middle of a canary stage and started again: the deployment carries on from
 * its persistent deadlines, every stage happens exactly once, the plugin processes the dead server left are taken
 * over rather than duplicated, and a normal stop leaves none behind.
 */
class CrashRecoveryTest {

    private static final int STAGE_WAIT_SECONDS = 4;

    @TempDir
    Path data;

    private ServerProcess server;

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void aKilledServerContinuesTheCanaryWhereItStopped() throws Exception {
        String database = TestDatabase.create();
        server = new ServerProcess(data, database, "crash-recovery").start();
        Http http = server.http();
        String token = server.adminToken();

        assertThat(http.postJson("/api/v1/tenants", token, """
                {"tenantId": "tenant-crash", "name": "Crash", "namespace": "crash",
                 "quotas": {"maxPlugins": 2, "maxCpu": 4, "maxMemoryGB": 4}}""").status()).isEqualTo(201);
        assertThat(http.postMultipart("/api/v1/plugins", token, Http.Part.text("pluginId", "survivor"),
                Http.Part.text("version", "1.0.0"), Http.Part.file("binary", "s.jar", SamplePlugins.healthy())).status())
                .isEqualTo(201);
        Http.Response started = http.postJson("/api/v1/plugin-deployments", token, """
                {"pluginId": "survivor", "pluginVersion": "1.0.0", "tenantId": "tenant-crash", "environment": "Production",
                 "strategyConfig": {"stages": "25,50,75,100", "stageInterval": "%d", "healthCheckInterval": "1"},
                 "totalInstances": 4}""".formatted(STAGE_WAIT_SECONDS));
        assertThat(started.status()).isEqualTo(202);
        String id = started.json().get("deploymentId").asText();
        // in the second stage, with its two instances started
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> pluginProcesses() == 2
                && http.get("/api/v1/plugin-deployments/" + id, token).json().get("currentStage").asInt() == 2);

        Instant killed = Instant.now();
        server.kill();
        assertThat(pluginProcesses()).as("plugin processes outlive a killed server").isEqualTo(2);

        server.start();
        Instant ready = Instant.now();
        JsonNode completed = await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(
                () -> http.get("/api/v1/plugin-deployments/" + id, token).json(),
                deployment -> deployment.get("status").asText().equals("Completed"));

        List<String> stages = completed.get("history").findValues("event").stream()
                .filter(event -> event.asText().equals("DeploymentStageAdvanced")).map(JsonNode::asText).toList();
        assertThat(stages).hasSize(4);
        assertThat(pluginProcesses()).isEqualTo(4);
        // the stage that fell due while the server was down starts once it is back: within the restart time plus
        // one polling interval (100 ms), one health check (1 s) and the command, here rounded up to 2 s
        List<Instant> stageStarts = stageStarts(database, id);
        for (int s = 1; s < stageStarts.size(); s++) {
            Instant due = stageStarts.get(s - 1).plusSeconds(STAGE_WAIT_SECONDS);
            Duration late = Duration.between(due, stageStarts.get(s));
            System.out.printf("stage %d started %d ms after its wait, %d ms after the restarted server was ready "
                            + "(restart took %d ms)%n", s + 1, late.toMillis(),
                    Duration.between(ready, stageStarts.get(s)).toMillis(), Duration.between(killed, ready).toMillis());
            assertThat(late).isLessThan(Duration.between(killed, ready).plusSeconds(2));
        }

        server.stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> pluginProcesses() == 0);
    }

    private static List<Instant> stageStarts(String database, String deploymentId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database);
             PreparedStatement query = connection.prepareStatement("""
                     SELECT time_stamp FROM domain_event_entry WHERE aggregate_identifier = ?
                       AND payload_type LIKE '%DeploymentStageAdvanced' ORDER BY sequence_number""")) {
            query.setString(1, deploymentId);
            List<Instant> starts = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) starts.add(Instant.parse(rows.getString(1)));
            }
            return starts;
        }
    }

    private long pluginProcesses() {
        return server.pluginProcesses().size();
    }
}
