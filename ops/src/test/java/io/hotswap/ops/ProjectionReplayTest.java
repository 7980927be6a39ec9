package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProjectionReplayTest extends ServerTest {

    @Test
    void rebuildsTheAuditTrailFromTheEventStore() {
        createTenant("tenant-replayed", "replayed");
        registerPlugin("replayed-plugin", "1.0.0", "r".getBytes(), "{}");
        awaitProjections();
        long before = auditRows();
        assertThat(before).isEqualTo(storedEvents());
        jdbc.sql("DELETE FROM audit_entry WHERE event_type = 'TenantCreated'").update(); // a damaged read model

        Http.Response replay = http.post("/api/v1/projections/audit-trail/replay", admin, null, "");
        assertThat(replay.status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> auditRows() == before);
        // by aggregate too: other test classes of the same server created tenants before, and a page holds 20
        JsonNode audit = http.get("/api/v1/audit?eventType=TenantCreated&aggregateId=tenant-replayed", admin).json();
        assertThat(audit.get("items").findValuesAsText("aggregateId")).contains("tenant-replayed");
    }

    @Test
    void aReplayThatCaughtUpShowsAsFinishedWithoutANewEvent() {
        createTenant("tenant-quiet", "quiet");
        registerPlugin("quiet-plugin", "1.0.0", "q".getBytes(), "{}");
        awaitProjections();
        long head = jdbc.sql("SELECT max(global_index) FROM domain_event_entry").query(Long.class).single();
        long events = storedEvents();

        JsonNode started = http.post("/api/v1/projections/deployment-view/replay", admin, null, "").json();
        assertThat(started.get("replaying").asBoolean()).isTrue();
        assertThat(started.get("head").asLong()).isEqualTo(head);

        // no event is stored from here on: the replay must still be seen to end
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode status = http.get("/api/v1/projections/deployment-view", admin).json();
            assertThat(status.get("replaying").asBoolean()).as(status.toString()).isFalse();
            assertThat(status.get("position").asLong()).isEqualTo(head);
            assertThat(status.get("head").asLong()).isEqualTo(head);
            assertThat(status.get("progress").asDouble()).isEqualTo(100.0);
        });
        assertThat(http.get("/api/v1/projections", admin).json().findValuesAsText("replaying")).containsOnly("false");
        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void showsOneProjectionAndRefusesUnknownNames() {
        Http.Response status = http.get("/api/v1/projections/tenant-view", admin);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("name").asText()).isEqualTo("tenant-view");
        assertThat(status.json().has("head")).isTrue();
        Http.Response unknown = http.get("/api/v1/projections/no-such-view", admin);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void refusesUnknownProjectionsAndNonAdmins() {
        assertThat(http.post("/api/v1/projections/tenant-quota-policy/replay", admin, null, "").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/projections/audit-trail/replay", token("v", "tenant-admin", "t"), null, "").status())
                .isEqualTo(403);
    }

    /**
     * Each read model rebuilt from the store holds, row by row, what it held when its events came one by one: a replay
     * handles up to 100 of them in one transaction and sends their writes in batches, and a deployment's history rows
     * read the status its view row has by then.
     */
    @Test
    void aReplayRebuildsEveryReadModelRowByRow() {
        String tenant = createTenant("tenant-rows", "rows");
        createTenant("tenant-rows-other", "rows-other");
        register("rows-plugin", "1.0.0", SamplePlugins.healthy(), "{}");
        register("rows-plugin", "1.1.0", SamplePlugins.healthy(), "{}");
        assertThat(http.postJson("/api/v1/plugins/rows-plugin/versions/1.0.0/status", admin,
                "{\"status\": \"Deprecated\"}").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/tenants/tenant-rows-other", token("intruder", "tenant-admin", tenant)).status())
                .isEqualTo(403);
        String id = startDeployment(tenant, "rows-plugin", "1.1.0", "Production");
        String deployment = "/api/v1/plugin-deployments/" + id;
        assertThat(http.post(deployment + "/pause", admin, null, "").status()).isEqualTo(202);
        awaitStatus(id, "Paused");
        assertThat(http.post(deployment + "/resume", admin, null, "").status()).isEqualTo(202);
        awaitStatus(id, "InProgress");
        assertThat(http.postJson(deployment + "/rollback", admin, "{\"reason\": \"asked to\"}").status()).isEqualTo(202);
        awaitStatus(id, "RolledBack");
        awaitProjections();
        Map<String, List<String>> before = readModelRows();
        assertThat(before.get("deployment_history")).hasSizeGreaterThanOrEqualTo(7);
        assertThat(before.get("audit_entry")).hasSize((int) storedEvents());

        for (String projection : List.of("audit-trail", "deployment-view", "plugin-catalogue", "tenant-view")) {
            assertThat(http.post("/api/v1/projections/" + projection + "/replay", admin, null, "").status())
                    .isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode all = http.get("/api/v1/projections", admin).json();
            assertThat(all.findValuesAsText("replaying")).containsOnly("false");
            assertThat(readModelRows()).isEqualTo(before);
        });
    }

    /** Every row of the replayed tables as JSON (less the history's serial number), sorted. */
    private Map<String, List<String>> readModelRows() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : List.of("audit_entry", "deployment_view", "deployment_history", "tenant_view", "plugin_view",
                "plugin_version_view")) {
            rows.put(table, jdbc.sql("SELECT (to_jsonb(t) - 'seq')::text AS row FROM " + table + " t ORDER BY 1")
                    .query(String.class).list());
        }
        return rows;
    }

    private long auditRows() {
        return jdbc.sql("SELECT count(*) FROM audit_entry").query(Long.class).single();
    }
}
