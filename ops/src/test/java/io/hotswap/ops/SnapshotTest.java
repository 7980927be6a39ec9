package io.hotswap.ops;

import io.hotswap.command.deployment.Deployment;
import io.hotswap.command.tenant.Tenant;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.axonframework.eventsourcing.Snapshotter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Aggregates are snapshotted every 100 events and loaded from their snapshot. With Redis configured nothing is
 * cached between commands, so every command here loads its aggregate from the store: snapshot plus what followed.
 */
@TestPropertySource(properties = "ConnectionStrings.Redis=${HOTSWAP_TEST_REDIS:127.0.0.1:6379}")
class SnapshotTest extends ServerTest {

    @Autowired
    private Snapshotter snapshotter;

    @Test
    void aPluginIsSnapshottedAfterAHundredEventsAndKeepsItsRulesWhenLoadedFromIt() {
        // no wait for the catalogue: a status change answers from the aggregate
        assertThat(registerPlugin("snap-plugin", "1.0.0", new byte[]{1, 2, 3}, "{}").status()).isEqualTo(201);
        for (int i = 0; i < 120; i++) {
            Http.Response changed = http.postJson("/api/v1/plugins/snap-plugin/versions/1.0.0/status", admin,
                    "{\"status\": \"" + (i % 2 == 0 ? "Deprecated" : "Active") + "\"}");
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
            assertThat(changed.json().get("status").asText()).isEqualTo(i % 2 == 0 ? "Deprecated" : "Active");
        }
        assertThat(snapshots("snap-plugin")).isEqualTo(1);

        // what the snapshot must have kept: the version and its checksum, and its status
        assertThat(registerPlugin("snap-plugin", "1.0.0", new byte[]{9, 9, 9}, "{}").status()).isEqualTo(409);
        assertThat(http.postJson("/api/v1/plugins/snap-plugin/versions/1.0.0/status", admin,
                "{\"status\": \"Yanked\"}").status()).isEqualTo(200);
        Http.Response yanked = http.postJson("/api/v1/plugins/snap-plugin/versions/1.0.0/status", admin,
                "{\"status\": \"Active\"}");
        assertThat(yanked.status()).isEqualTo(409);
        assertThat(yanked.json().get("type").asText()).endsWith("version-yanked");
        assertThat(registerPlugin("snap-plugin", "1.1.0", new byte[]{4}, "{}").status()).isEqualTo(201);
    }

    @Test
    void aTenantAndADeploymentLoadedFromTheirSnapshotsKeepTheirReservationsAndStatus() {
        String tenant = createTenant("tenant-snap", "snap");
        assertThat(registerPlugin("snap-runner", "1.0.0", SamplePlugins.healthy(), "{}").status()).isEqualTo(201);
        awaitProjections();
        String deploymentId = startDeployment(tenant, "snap-runner", "1.0.0", "Production");
        snapshotter.scheduleSnapshot(Tenant.class, tenant);
        snapshotter.scheduleSnapshot(Deployment.class, deploymentId);
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshots(tenant) == 1 && snapshots(deploymentId) == 1);

        Http.Response second = http.postJson("/api/v1/plugin-deployments", admin, """
                {"pluginId": "snap-runner", "pluginVersion": "1.0.0", "tenantId": "tenant-snap",
                 "environment": "Production", "totalInstances": 1}""");
        assertThat(second.status()).as("the tenant's reservation survived the snapshot").isEqualTo(409);
        assertThat(second.json().get("type").asText()).endsWith("deployment-in-progress");

        assertThat(http.postJson("/api/v1/plugin-deployments/" + deploymentId + "/pause", admin, "{}").status())
                .isEqualTo(202);
        assertThat(http.postJson("/api/v1/plugin-deployments/" + deploymentId + "/pause", admin, "{}").status())
                .isEqualTo(202);
        assertThat(events(deploymentId, "DeploymentPaused")).as("the second pause found it paused").isEqualTo(1);
        assertThat(http.postJson("/api/v1/plugin-deployments/" + deploymentId + "/abort", admin,
                "{\"reason\": \"done\"}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/v1/plugin-deployments/" + deploymentId, admin)
                .json().get("status").asText().equals("Failed"));
        assertThat(http.postJson("/api/v1/plugin-deployments/" + deploymentId + "/resume", admin, "{}").status())
                .isEqualTo(409);
    }

    private long events(String aggregateId, String type) {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE ?")
                .params(aggregateId, "%." + type).query(Long.class).single();
    }

    private long snapshots(String aggregateId) {
        return jdbc.sql("SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?").param(aggregateId)
                .query(Long.class).single();
    }
}
