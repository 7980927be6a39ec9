package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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
        JsonNode audit = http.get("/api/v1/audit?eventType=TenantCreated", admin).json();
        assertThat(audit.get("items").findValuesAsText("aggregateId")).contains("tenant-replayed");
    }

    @Test
    void refusesUnknownProjectionsAndNonAdmins() {
        assertThat(http.post("/api/v1/projections/tenant-quota-policy/replay", admin, null, "").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/projections/audit-trail/replay", token("v", "tenant-admin", "t"), null, "").status())
                .isEqualTo(403);
    }

    private long auditRows() {
        return jdbc.sql("SELECT count(*) FROM audit_entry").query(Long.class).single();
    }
}
