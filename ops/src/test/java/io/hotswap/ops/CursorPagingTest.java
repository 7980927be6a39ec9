package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.query.deployment.DeploymentBoard;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listings page by cursor: each page's {@code next} leads to the following one ({@code ?after=<next>&size=}) by a
 * keyset on the listing's order, with the filters the walk began with, and only within the caller's tenant.
 */
class CursorPagingTest extends ServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private DeploymentBoard board;

    @Test
    void walksTheWholeAuditTrailWhileNewEntriesArrive() {
        for (int i = 0; i < 4; i++) createActiveTenant("tenant-walk-" + i);
        List<JsonNode> pages = new ArrayList<>();
        int[] added = {0};
        List<String> walked = walk("/api/v1/audit?size=5", admin, page -> {
            pages.add(page);
            if (added[0] < 3) createActiveTenant("tenant-walk-late-" + added[0]++); // lands after the cursor
        });

        assertThat(added[0]).isEqualTo(3);
        assertThat(walked).doesNotHaveDuplicates()
                .containsExactlyElementsOf(jdbc.sql("SELECT event_id FROM audit_entry ORDER BY position, event_id")
                        .query(String.class).list());
        assertThat(walked).contains(eventIdOf("TenantCreated", "tenant-walk-late-2"));
        for (int i = 0; i < pages.size(); i++) {
            assertThat(pages.get(i).get("page").asInt()).isEqualTo(i);
            assertThat(pages.get(i).get("size").asInt()).isEqualTo(5);
            assertThat(pages.get(i).get("totalExact").asBoolean()).isTrue();
        }
        assertThat(pages.get(pages.size() - 1).get("next").isNull()).isTrue();
    }

    @Test
    void walksATimeRangeOfOneTenantInTimeOrder() {
        createActiveTenant("tenant-timed-a");
        Instant from = Instant.now();
        createActiveTenant("tenant-timed-b");
        createActiveTenant("tenant-timed-c");
        Instant to = Instant.now();
        createActiveTenant("tenant-timed-d");

        List<String> walked = walk("/api/v1/audit?tenantId=tenant-timed-b&from=" + from + "&to=" + to + "&size=1", admin, page -> {
        });

        List<String> expected = jdbc.sql("""
                        SELECT event_id FROM audit_entry WHERE tenant_id = 'tenant-timed-b'
                            AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, position, event_id""")
                .params(Timestamp.from(from), Timestamp.from(to)).query(String.class).list();
        assertThat(expected).hasSizeGreaterThan(1);
        assertThat(walked).containsExactlyElementsOf(expected);
    }

    @Test
    void filtersTheAuditTrailByPrincipal() {
        createActiveTenant("tenant-principal");
        http.postJson("/api/v1/tenants", token("carol", "platform-admin", null),
                tenantJson("tenant-by-carol", "by-carol"));
        awaitProjections();

        List<String> walked = walk("/api/v1/audit?principal=carol&size=1", admin, page -> {
        });

        assertThat(walked).isNotEmpty().containsExactlyElementsOf(jdbc.sql(
                "SELECT event_id FROM audit_entry WHERE principal = 'carol' ORDER BY position, event_id").query(String.class).list());
    }

    @Test
    void offsetPagesAreStillAnsweredAndLeadOnByCursor() {
        for (int i = 0; i < 3; i++) createActiveTenant("tenant-offset-" + i);
        JsonNode first = http.get("/api/v1/audit?size=3", admin).json();
        JsonNode second = get("/api/v1/audit?after=" + encode(first.get("next").asText()) + "&size=3", admin);

        JsonNode byOffset = get("/api/v1/audit?page=1&size=3", admin);
        assertThat(byOffset.get("items")).isEqualTo(second.get("items"));
        assertThat(byOffset.get("page").asInt()).isEqualTo(1);
        assertThat(byOffset.get("total").asLong()).isEqualTo(jdbc.sql("SELECT count(*) FROM audit_entry").query(Long.class).single());
        JsonNode third = get("/api/v1/audit?after=" + encode(byOffset.get("next").asText()) + "&size=3", admin);
        assertThat(third.get("items")).isEqualTo(get("/api/v1/audit?page=2&size=3", admin).get("items"));
        assertThat(third.get("page").asInt()).isEqualTo(2);
    }

    @Test
    void walksTenantsPluginsAndDeploymentsByCursor() {
        for (int i = 0; i < 5; i++) createTenant("tenant-listed-" + i, "listed-" + i);
        for (int i = 0; i < 3; i++) registerPlugin("listed-plugin-" + i, "1.0.0", ("p" + i).getBytes(), "{}");
        Instant sameMoment = Instant.parse("2025-03-01T12:00:00.123456Z"); // ties broken by id
        for (String id : List.of("dep-b", "dep-a", "dep-c")) deploymentRow(id, "tenant-listed-0", sameMoment);
        deploymentRow("dep-older", "tenant-listed-0", sameMoment.minusSeconds(60));
        deploymentRow("dep-newer", "tenant-listed-1", sameMoment.plusSeconds(60));
        awaitProjections();

        for (String listing : List.of("/api/v1/tenants", "/api/v1/plugins", "/api/v1/plugin-deployments")) {
            JsonNode whole = get(listing + "?size=100", admin);
            List<JsonNode> walkedItems = new ArrayList<>();
            walk(listing + "?size=2", admin, page -> page.get("items").forEach(walkedItems::add));
            assertThat(walkedItems).as(listing).hasSize(whole.get("total").asInt()).containsExactlyElementsOf(whole.get("items"));
        }
        List<String> tenantZero = new ArrayList<>();
        walk("/api/v1/plugin-deployments?tenantId=tenant-listed-0&size=1", admin,
                page -> page.get("items").forEach(d -> tenantZero.add(d.get("deploymentId").asText())));
        assertThat(tenantZero).containsExactly("dep-c", "dep-b", "dep-a", "dep-older");
    }

    @Test
    void refusesMalformedAlteredAndForeignCursorsWith400() {
        createActiveTenant("tenant-cursor");
        JsonNode page = get("/api/v1/audit?tenantId=tenant-cursor&size=1", admin);
        String cursor = page.get("next").asText();
        String body = cursor.substring(0, cursor.indexOf('.'));
        String signature = cursor.substring(cursor.indexOf('.') + 1);
        ObjectNode decoded = (ObjectNode) readJson(Base64.getUrlDecoder().decode(body));
        ((ObjectNode) decoded.get("filters")).put("tenantId", "tenant-other");
        String otherTenant = Base64.getUrlEncoder().withoutPadding().encodeToString(decoded.toString().getBytes()) + "." + signature;
        String tenantsCursor = get("/api/v1/tenants?size=1", admin).get("next").asText();

        Map<String, String> refused = Map.of(
                "not a cursor", "/api/v1/audit?after=garbage",
                "one character changed", "/api/v1/audit?after=" + encode(flip(cursor, body.length() / 2)),
                "another tenant written in", "/api/v1/audit?after=" + encode(otherTenant),
                "signature cut off", "/api/v1/audit?after=" + encode(body),
                "a tenants cursor", "/api/v1/audit?after=" + encode(tenantsCursor),
                "a cursor on another listing", "/api/v1/plugins?after=" + encode(cursor),
                "a cursor on deployments", "/api/v1/plugin-deployments?after=" + encode(cursor),
                "a cursor on dead letters", "/api/v1/projections/audit-trail/dead-letters?after=" + encode(cursor),
                "a cursor on tenants", "/api/v1/tenants?after=" + encode(cursor));
        refused.forEach((what, path) -> assertProblem(http.get(path, admin), what, "after"));
        assertProblem(http.get("/api/v1/audit/security-violations?after=" + encode(cursor), admin),
                "a cursor of other entries than violations", "eventType");

        assertProblem(http.get("/api/v1/audit?page=2&after=" + encode(cursor), admin), "page and after", "page");
        assertProblem(http.get("/api/v1/audit?eventType=TenantCreated&after=" + encode(cursor), admin),
                "a filter the cursor was not made with", "eventType");
        assertProblem(http.get("/api/v1/audit?tenantId=tenant-other&after=" + encode(cursor), admin),
                "another tenant than the cursor's", "tenantId");
        assertProblem(http.get("/api/v1/audit?from=yesterday", admin), "a from that is no instant", "from");
        assertProblem(http.get("/api/v1/audit?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z", admin), "from after to", "from");
        assertThat(http.get("/api/v1/audit?tenantId=tenant-cursor&after=" + encode(cursor), admin).status())
                .as("the same filter again is fine").isEqualTo(200);
    }

    @Test
    void aCursorLeadsNowhereOutsideTheCallersTenant() {
        createActiveTenant("tenant-mine");
        createActiveTenant("tenant-theirs");
        deploymentRow("dep-theirs-1", "tenant-theirs", Instant.now());
        deploymentRow("dep-theirs-2", "tenant-theirs", Instant.now());
        String mine = token("alice", "tenant-admin", "tenant-mine");
        String theirCursor = get("/api/v1/audit?tenantId=tenant-theirs&size=1", admin).get("next").asText();
        long violations = violationsAgainst("tenant-theirs");

        Http.Response reached = http.get("/api/v1/audit?after=" + encode(theirCursor), mine);
        assertThat(reached.status()).isEqualTo(403);
        assertThat(reached.contentType()).startsWith("application/problem+json");
        await().atMost(Duration.ofSeconds(10)).until(() -> violationsAgainst("tenant-theirs") == violations + 1);
        String theirDeployments = get("/api/v1/plugin-deployments?tenantId=tenant-theirs&size=1", admin).get("next").asText();
        assertThat(http.get("/api/v1/plugin-deployments?after=" + encode(theirDeployments), mine).status()).isEqualTo(403);

        // a cursor of the whole trail, in a tenant admin's hands, goes on within the admin's own tenant
        String everyone = get("/api/v1/audit?size=1", admin).get("next").asText();
        List<String> tenants = new ArrayList<>();
        walk("/api/v1/audit?after=" + encode(everyone) + "&size=2", mine,
                page -> page.get("items").forEach(entry -> tenants.add(entry.get("tenantId").asText())));
        assertThat(tenants).isNotEmpty().containsOnly("tenant-mine");
    }

    /** Follows {@code next} from {@code first} to the last page; answers the ids of the audit entries seen. */
    private List<String> walk(String first, String token, Consumer<JsonNode> eachPage) {
        List<String> eventIds = new ArrayList<>();
        int size = Integer.parseInt(first.replaceAll(".*[?&]size=(\\d+).*", "$1"));
        String base = first.substring(0, first.indexOf('?'));
        JsonNode page = get(first, token);
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("pages walked").isLessThan(1000);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(size);
            page.get("items").forEach(item -> {
                if (item.has("eventId")) eventIds.add(item.get("eventId").asText());
            });
            eachPage.accept(page);
            if (page.get("next").isNull()) return eventIds;
            page = get(base + "?after=" + encode(page.get("next").asText()) + "&size=" + size, token);
        }
    }

    private JsonNode get(String path, String token) {
        Http.Response response = http.get(path, token);
        assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
        return response.json();
    }

    /**
     * Creates a tenant with three audit entries (its creation, and two reaches into it by another tenant's principal
     * that are recorded as violations against it), and waits until they are in the audit trail.
     */
    private void createActiveTenant(String tenantId) {
        createTenant(tenantId, tenantId.replace("tenant-", "ns-"));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "Active".equals(http.get("/api/v1/tenants/" + tenantId, admin).json().get("status").asText()));
        String intruder = token("mallory", "tenant-viewer", "tenant-elsewhere");
        for (int i = 0; i < 2; i++) assertThat(http.get("/api/v1/tenants/" + tenantId, intruder).status()).isEqualTo(403);
        awaitProjections();
    }

    private void deploymentRow(String deploymentId, String tenantId, Instant createdAt) {
        board.insert(deploymentId, tenantId, "listed-plugin-0", "1.0.0", "Production", Map.of(),
                new DeploymentPlan(DeploymentStrategy.Direct, List.of(new DeploymentStep(100, 1, 0)), 30, 2, 600),
                1, null, null, createdAt);
    }

    private String eventIdOf(String eventType, String aggregateId) {
        return jdbc.sql("SELECT event_id FROM audit_entry WHERE event_type = ? AND aggregate_id = ?")
                .params(eventType, aggregateId).query(String.class).single();
    }

    private long violationsAgainst(String tenantId) {
        return jdbc.sql("SELECT count(*) FROM audit_entry WHERE event_type = 'SecurityViolationDetected' AND tenant_id = ?")
                .param(tenantId).query(Long.class).single();
    }

    private static void assertProblem(Http.Response response, String what, String field) {
        assertThat(response.status()).as(what + ": " + response).isEqualTo(400);
        assertThat(response.contentType()).as(what).startsWith("application/problem+json");
        assertThat(response.json().get("errors").findValuesAsText("field")).as(what).containsExactly(field);
    }

    private static String flip(String text, int at) {
        char c = text.charAt(at);
        return text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
