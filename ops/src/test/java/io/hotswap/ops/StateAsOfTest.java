package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ?asOf=} answers what the same GET answered at that instant: a deployment that was paused, resumed and rolled
 * back, and its tenant, each looked at after every step and asked about every step afterwards.
 */
class StateAsOfTest extends ServerTest {

    @Test
    void answersEachEarlierInstantAsTheLiveViewDidThen() {
        String tenant = createTenant("tenant-asof", "asof");
        register("asof-plugin", "1.0.0", SamplePlugins.healthy(), "{}");
        Instant beforeDeployment = Instant.now();
        Map<Instant, JsonNode> tenantThen = new LinkedHashMap<>();
        Map<Instant, JsonNode> deploymentThen = new LinkedHashMap<>();
        look("/api/v1/tenants/" + tenant, tenantThen);

        String id = startDeployment(tenant, "asof-plugin", "1.0.0", "Production"); // holds still in its first stage
        String deployment = "/api/v1/plugin-deployments/" + id;
        look(deployment, deploymentThen);
        look("/api/v1/tenants/" + tenant, tenantThen);

        assertThat(http.post(deployment + "/pause", admin, null, "").status()).isEqualTo(202);
        awaitStatus(id, "Paused");
        look(deployment, deploymentThen);

        assertThat(http.post(deployment + "/resume", admin, null, "").status()).isEqualTo(202);
        awaitStatus(id, "InProgress");
        look(deployment, deploymentThen);

        assertThat(http.postJson(deployment + "/rollback", admin, "{\"reason\": \"asked to\"}").status()).isEqualTo(202);
        awaitStatus(id, "RolledBack");
        look(deployment, deploymentThen);
        look("/api/v1/tenants/" + tenant, tenantThen);

        assertThat(deploymentThen.values()).extracting(view -> view.get("status").asText())
                .containsExactly("InProgress", "Paused", "InProgress", "RolledBack");
        assertThat(tenantThen.values()).extracting(view -> view.at("/usage/cpu").asDouble())
                .containsExactly(0.0, 0.4, 0.0);
        deploymentThen.forEach((at, view) -> assertThat(asOf(deployment, at)).as("deployment at " + at).isEqualTo(view));
        tenantThen.forEach((at, view) -> assertThat(asOf("/api/v1/tenants/" + tenant, at)).as("tenant at " + at).isEqualTo(view));

        // nothing of the folds is left in the tables or the cache
        assertThat(http.get(deployment, admin).json()).isEqualTo(List.copyOf(deploymentThen.values()).get(3));
        assertThat(jdbc.sql("SELECT count(*) FROM deployment_view WHERE deployment_id = ?").param(id).query(Long.class)
                .single()).isEqualTo(1);

        // its stored events, oldest first: the ones the live history was built from
        JsonNode history = http.get(deployment + "/history", admin).json();
        assertThat(history.get("events").findValuesAsText("eventType"))
                .isEqualTo(http.get(deployment, admin).json().get("history").findValuesAsText("event"))
                .containsExactly("DeploymentStarted", "DeploymentActivated", "DeploymentStageAdvanced",
                        "DeploymentPaused", "DeploymentResumed", "DeploymentRollbackStarted", "DeploymentRolledBack");
        assertThat(history.get("events").findValuesAsText("aggregateId")).containsOnly(id);
        assertThat(history.at("/events/3/payload/requestedBy").asText()).isEqualTo("admin");

        Http.Response before = http.get(deployment + "?asOf=" + beforeDeployment, admin);
        assertThat(before.status()).isEqualTo(404);
        assertThat(before.json().get("detail").asText()).contains("did not exist yet at " + beforeDeployment);
    }

    @Test
    void refusesInstantsItCannotAnswerAndOtherTenants() {
        String tenant = createTenant("tenant-asof-guarded", "asof-guarded");
        register("asof-guarded", "1.0.0", SamplePlugins.healthy(), "{}");
        String deployment = "/api/v1/plugin-deployments/" + startDeployment(tenant, "asof-guarded", "1.0.0", "Production");
        for (String asOf : List.of("yesterday", "2026-13-01T00:00:00Z", Instant.now().plusSeconds(3600).toString())) {
            Http.Response refused = http.get("/api/v1/tenants/" + tenant + "?asOf=" + asOf, admin);
            assertThat(refused.status()).as(asOf).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(http.get(deployment + "?asOf=yesterday", admin).status()).isEqualTo(400);

        long events = storedEvents();
        String mallory = token("mallory", "tenant-admin", "tenant-other");
        for (String path : List.of("/api/v1/tenants/" + tenant + "?asOf=" + Instant.now(),
                deployment + "?asOf=" + Instant.now(), deployment + "/history")) {
            Http.Response other = http.get(path, mallory);
            assertThat(other.status()).as(path).isEqualTo(403);
            assertThat(other.contentType()).startsWith("application/problem+json");
        }
        assertThat(storedEvents()).isEqualTo(events + 3); // a SecurityViolationDetected each
        assertThat(http.get("/api/v1/plugin-deployments/no-such-deployment/history", admin).status()).isEqualTo(404);
    }

    /** The live view once every event so far is projected, and the instant it stood for. */
    private void look(String path, Map<Instant, JsonNode> seen) {
        awaitProjections();
        JsonNode view = http.get(path, admin).json();
        seen.put(Instant.now(), view);
    }

    private JsonNode asOf(String path, Instant at) {
        Http.Response response = http.get(path + "?asOf=" + at, admin);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
