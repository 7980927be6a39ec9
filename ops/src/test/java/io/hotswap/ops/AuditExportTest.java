package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Audit replay: {@code GET /api/v1/audit/events} streams the event store's own rows as NDJSON in store order, resumes
 * after a position, filters, keeps tenant admins inside their tenant, and {@code audit export} writes the same lines.
 */
@ExtendWith(OutputCaptureExtension.class)
// a server and database of its own: whole-store comparisons need a store no other test class writes to, and one test
// stores an event that other classes' projections would park as a dead letter
@TestPropertySource(properties = "hotswap.test.context=audit-export")
class AuditExportTest extends ServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACME = "tenant-acme-corp";
    private static final String OTHER = "tenant-other";

    /** The guide's flow, once for the class: what it did and under which correlation ids. */
    private static String deploymentId;
    private static String tenantCorrelationId;
    private static String rollbackCorrelationId;
    private static long flowHead;

    @Autowired
    private DataSource database;
    @Value("${spring.datasource.url}")
    private String databaseUrl;
    @TempDir
    Path exports;

    @BeforeEach
    void theGuidesFlow() {
        if (deploymentId != null) return;
        Http.Response tenant = http.postJson("/api/v1/tenants", admin, """
                {"tenantId": "tenant-acme-corp", "name": "Acme Corporation", "namespace": "tenant-acme",
                 "quotas": {"maxPlugins": 20, "maxCpu": 8.0, "maxMemoryGB": 16}}""");
        assertThat(tenant.status()).isEqualTo(201);
        tenantCorrelationId = tenant.header("X-Correlation-Id");
        createTenant(OTHER, "other");
        register("payment-stripe", "2.0.0", SamplePlugins.healthy(), "{}");
        deploymentId = startDeployment(ACME, "payment-stripe", "2.0.0", "Production");
        Http.Response rollback = http.postJson("/api/v1/plugin-deployments/" + deploymentId + "/rollback", admin,
                "{\"reason\": \"High error rate detected\"}");
        assertThat(rollback.status()).isEqualTo(202);
        rollbackCorrelationId = rollback.header("X-Correlation-Id");
        awaitStatus(deploymentId, "RolledBack");
        awaitProjections();
        flowHead = jdbc.sql("SELECT max(global_index) FROM domain_event_entry").query(Long.class).single();
    }

    @Test
    void streamsEveryStoredEventInStoreOrderWithPrincipalAndCorrelationId() {
        List<JsonNode> events = parse(lines("", admin));

        assertThat(events).extracting(e -> e.get("position").asLong()).isEqualTo(jdbc.sql(
                "SELECT global_index FROM domain_event_entry ORDER BY global_index").query(Long.class).list());
        JsonNode created = only(events, e -> e.get("eventType").asText().equals("TenantCreated")
                && e.get("aggregateId").asText().equals(ACME));
        assertThat(created.get("aggregateType").asText()).isEqualTo("Tenant");
        assertThat(created.get("sequence").asLong()).isZero();
        assertThat(created.get("revision").asText()).isEqualTo("1");
        assertThat(created.get("tenantId").asText()).isEqualTo(ACME);
        assertThat(created.get("principal").asText()).isEqualTo("admin");
        assertThat(created.get("correlationId").asText()).isEqualTo(tenantCorrelationId);
        assertThat(created.get("payload").get("name").asText()).isEqualTo("Acme Corporation");
        assertThat(created.get("eventId").asText()).isEqualTo(jdbc.sql("SELECT event_identifier FROM domain_event_entry "
                + "WHERE global_index = ?").param(created.get("position").asLong()).query(String.class).single());

        List<JsonNode> deployment = events.stream()
                .filter(e -> deploymentId.equals(e.path("aggregateId").textValue())).toList();
        assertThat(deployment).extracting(e -> e.get("sequence").asLong())
                .isEqualTo(LongStream.range(0, deployment.size()).boxed().toList());
        assertThat(deployment).extracting(e -> e.get("eventType").asText())
                .startsWith("DeploymentStarted").contains("DeploymentRollbackStarted").endsWith("DeploymentRolledBack");
        assertThat(deployment).allSatisfy(e -> {
            assertThat(e.get("aggregateType").asText()).isEqualTo("Deployment");
            assertThat(e.get("tenantId").asText()).as("every deployment event belongs to its tenant").isEqualTo(ACME);
            assertThat(e.get("correlationId").isNull()).isFalse();
        });
        JsonNode rollback = only(deployment, e -> e.get("eventType").asText().equals("DeploymentRollbackStarted"));
        assertThat(rollback.get("principal").asText()).isEqualTo("admin");
        assertThat(rollback.get("correlationId").asText()).isEqualTo(rollbackCorrelationId);
        assertThat(rollback.get("payload").get("reason").asText()).isEqualTo("High error rate detected");
        assertThat(only(events, e -> e.get("eventType").asText().equals("PluginVersionRegistered"))
                .get("tenantId").isNull()).as("the catalogue belongs to no tenant").isTrue();

        // the tenant of each line of the flow is the audit trail's: one rule
        Map<String, String> trail = jdbc.sql("SELECT event_id, coalesce(tenant_id, '') FROM audit_entry")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(events).filteredOn(e -> e.get("position").asLong() <= flowHead).allSatisfy(e -> assertThat(
                e.get("tenantId").isNull() ? "" : e.get("tenantId").asText()).isEqualTo(trail.get(e.get("eventId").asText())));
    }

    @Test
    void resumesExactlyAfterThePositionOfTheLastLineSeen() {
        List<String> all = lines("", admin);
        assertThat(all).hasSizeGreaterThan(10);
        long middle = position(all.get(all.size() / 2));
        assertThat(lines("?after=" + middle, admin)).isEqualTo(all.subList(all.size() / 2 + 1, all.size()));

        // a client that reads three lines at a time and resumes each time gets the same lines, each once
        List<String> resumed = new ArrayList<>();
        String after = "";
        while (true) {
            List<String> page = lines("?limit=3" + after, admin);
            resumed.addAll(page);
            if (page.size() < 3) break;
            after = "&after=" + position(page.get(2));
        }
        assertThat(resumed).isEqualTo(all);
        assertThat(lines("?after=" + position(all.get(all.size() - 1)), admin)).isEmpty();
    }

    @Test
    void filtersByTenantAggregateEventTypeAndTime() {
        List<String> all = lines("", admin);

        assertThat(lines("?tenantId=" + ACME, admin)).isEqualTo(select(all, e -> ACME.equals(e.path("tenantId").textValue())))
                .extracting(AuditExportTest::eventType).contains("TenantCreated", "DeploymentStarted", "DeploymentRolledBack");
        assertThat(lines("?tenantId=" + OTHER, admin)).isEqualTo(select(all, e -> OTHER.equals(e.path("tenantId").textValue())))
                .isNotEmpty();
        assertThat(lines("?aggregateId=" + deploymentId, admin))
                .isEqualTo(select(all, e -> deploymentId.equals(e.path("aggregateId").textValue()))).isNotEmpty();
        assertThat(lines("?eventType=TenantCreated", admin))
                .isEqualTo(select(all, e -> e.get("eventType").asText().equals("TenantCreated")))
                .extracting(line -> json(line).get("aggregateId").asText()).contains(ACME, OTHER);
        assertThat(lines("?tenantId=" + OTHER + "&eventType=TenantCreated", admin)).hasSize(1);

        String at = json(all.get(all.size() / 2)).get("timestamp").asText();
        Instant instant = Instant.parse(at);
        List<String> fromThen = lines("?from=" + at, admin);
        assertThat(fromThen).isEqualTo(select(all, e -> !timestamp(e).isBefore(instant))).isNotEmpty();
        assertThat(lines("?to=" + at, admin)).isEqualTo(select(all, e -> timestamp(e).isBefore(instant))).isNotEmpty();
        assertThat(lines("?from=" + at + "&to=" + at, admin)).isEmpty();
        assertThat(lines("?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00%2B02:00", admin)).isEmpty();
    }

    @Test
    void showsATenantAdminItsOwnTenantOnlyAndRecordsAReachForAnother(CapturedOutput output) {
        String otherAdmin = token("mallory", "tenant-admin", OTHER);
        List<String> own = lines("", otherAdmin);
        assertThat(own).isNotEmpty().isEqualTo(lines("?tenantId=" + OTHER, admin));
        assertThat(lines("?tenantId=" + OTHER + "&eventType=TenantCreated", otherAdmin)).hasSize(1);

        long stored = storedEvents();
        Http.Response reach = http.get("/api/v1/audit/events?tenantId=" + ACME, otherAdmin);
        assertThat(reach.status()).isEqualTo(403);
        assertThat(reach.contentType()).startsWith("application/problem+json");
        assertThat(reach.json().get("detail").asText()).contains(OTHER, ACME);
        assertThat(output.getOut()).contains("SECURITY_VIOLATION principal=mallory");
        assertThat(storedEvents()).isEqualTo(stored + 1);
        awaitProjections();
        assertThat(http.get("/api/v1/audit/security-violations", admin).json().get("items").findValuesAsText("path"))
                .contains("/api/v1/audit/events");
        List<String> violations = lines("?tenantId=" + ACME + "&eventType=SecurityViolationDetected", admin);
        JsonNode violation = json(violations.get(violations.size() - 1));
        assertThat(violation.get("principal").asText()).isEqualTo("mallory");
        assertThat(violation.get("aggregateId").isNull()).isTrue();
        assertThat(violation.get("payload").get("principalTenantId").asText()).isEqualTo(OTHER);

        assertThat(http.get("/api/v1/audit/events", token("vera", "tenant-viewer", OTHER)).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/audit/events", token("pat", "plugin-publisher", null)).status()).isEqualTo(403);
    }

    @Test
    void refusesBadParametersWithAProblemAndChangesNothing() {
        long stored = storedEvents();
        Map<String, String> bad = Map.of(
                "?from=yesterday", "from",
                "?to=2026-13-01T00:00:00Z", "to",
                "?after=-1", "after",
                "?after=twelve", "after",
                "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from",
                "?limit=0", "limit",
                "?limit=1000001", "limit",
                "?tenantId=" + ACME + "&limit=many", "limit");
        bad.forEach((query, field) -> {
            Http.Response response = http.get("/api/v1/audit/events" + query, admin);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.contentType()).as(query).startsWith("application/problem+json");
            assertThat(response.json().get("errors").findValuesAsText("field")).as(query).containsExactly(field);
        });
        // a tenant admin's bad request is refused before its tenant is looked at: no violation recorded
        assertThat(http.get("/api/v1/audit/events?tenantId=" + ACME + "&after=-5", token("mallory", "tenant-admin", OTHER))
                .status()).isEqualTo(400);
        assertThat(storedEvents()).isEqualTo(stored);
    }

    @Test
    void theCliExportWritesTheSameLinesAsTheEndpoint() throws Exception {
        Path file = exports.resolve("acme.ndjson");
        Exported toFile = export("tenantId=" + ACME, "out=" + file);
        assertThat(toFile.exitCode()).isZero();
        List<String> endpoint = lines("?tenantId=" + ACME, admin);
        assertThat(Files.readAllLines(file)).isEqualTo(endpoint);
        assertThat(toFile.out()).startsWith("Exported " + endpoint.size() + " events, the last at position "
                + position(endpoint.get(endpoint.size() - 1)));

        Exported toStandardOutput = export("aggregateId=" + deploymentId, "eventType=DeploymentStarted",
                "from=2000-01-01T00:00:00Z");
        assertThat(toStandardOutput.exitCode()).isZero();
        assertThat(toStandardOutput.out().lines().toList()).isEqualTo(lines("?aggregateId=" + deploymentId
                + "&eventType=DeploymentStarted&from=2000-01-01T00:00:00Z", admin)).hasSize(1);
        assertThat(toStandardOutput.err()).startsWith("Exported 1 events");

        Exported bad = export("after=-1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("after: must be a store position");
        assertThat(export("tenant=" + ACME).exitCode()).as("an unknown option").isEqualTo(2);
    }

    @Test
    void waitsForAnAppendStillInFlightBelowTheHeadAndFindsPayloadsPostgresCannotRead() throws Exception {
        try (Connection slow = database.getConnection()) {
            slow.setAutoCommit(false);
            long inFlight = appendViolation(slow, ACME);
            createTenant("tenant-later", "later"); // stored and committed above the position still in flight
            long later = jdbc.sql("SELECT max(global_index) FROM domain_event_entry").query(Long.class).single();
            assertThat(later).isGreaterThan(inFlight);

            CompletableFuture<List<String>> export = CompletableFuture.supplyAsync(() -> lines("?tenantId=" + ACME, admin));
            Thread.sleep(1000);
            assertThat(export).as("the export waits for the append in flight").isNotDone();
            slow.commit();

            List<JsonNode> acme = parse(export.get(30, TimeUnit.SECONDS));
            assertThat(jdbc.sql("SELECT event_tenant_id(payload) FROM domain_event_entry WHERE global_index = ?")
                    .param(inFlight).query(String.class).single()).as("PostgreSQL cannot read it").isEmpty();
            JsonNode unreadable = only(acme, e -> e.get("position").asLong() == inFlight);
            assertThat(unreadable.get("payload").get("path").asText()).isEqualTo("/x\ud800");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(jdbc.sql(
                    "SELECT count(*) FROM audit_entry WHERE position = ?").param(inFlight).query(Long.class).single())
                    .as("the audit trail records it too, rather than park it").isEqualTo(1));
            assertThat(acme).extracting(e -> e.get("position").asLong()).isSorted();
            assertThat(lines("?after=" + inFlight + "&eventType=TenantCreated", admin))
                    .extracting(AuditExportTest::eventType).containsExactly("TenantCreated");
        }
    }

    /**
     * Stores a security violation against {@code tenantId} in the caller's transaction, its path with a lone surrogate
     * (as Jackson writes one from a request), which PostgreSQL's JSON cannot read; answers its position.
     */
    private static long appendViolation(Connection connection, String tenantId) throws Exception {
        String payload = """
                {"principal":"eve","principalTenantId":"tenant-other","tenantId":"%s","method":"GET","path":"/x\\ud800"}"""
                .formatted(tenantId);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                                payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, 0, NULL, ?, 'io.hotswap.api.audit.SecurityViolationDetected', '1', ?, ?)
                RETURNING global_index""")) {
            String id = UUID.randomUUID().toString();
            insert.setString(1, id);
            insert.setString(2, id);
            insert.setString(3, Instant.now().toString());
            insert.setBytes(4, payload.getBytes(StandardCharsets.UTF_8));
            insert.setBytes(5, "{\"principal\":\"eve\",\"correlationId\":\"in-flight\"}".getBytes(StandardCharsets.UTF_8));
            try (var result = insert.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private record Exported(int exitCode, String out, String err) {
    }

    /** {@code audit export} as an auditor runs it, on this test's database. */
    private Exported export(String... options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("audit", "export"));
        args.addAll(List.of(options));
        args.add("--spring.datasource.url=" + databaseUrl);
        int exitCode = Cli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Exported(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The endpoint's answer, line by line; it must be a 200 of NDJSON. */
    private List<String> lines(String query, String token) {
        Http.Response response = http.get("/api/v1/audit/events" + query, token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/x-ndjson");
        String body = response.bodyText();
        assertThat(body.isEmpty() || body.endsWith("\n")).as("every line ends with a line break").isTrue();
        return body.lines().toList();
    }

    private static List<String> select(List<String> lines, Predicate<JsonNode> condition) {
        return lines.stream().filter(line -> condition.test(json(line))).toList();
    }

    private static List<JsonNode> parse(List<String> lines) {
        return lines.stream().map(AuditExportTest::json).toList();
    }

    private static JsonNode only(List<JsonNode> events, Predicate<JsonNode> condition) {
        List<JsonNode> matching = events.stream().filter(condition).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }

    private static long position(String line) {
        return json(line).get("position").asLong();
    }

    private static String eventType(String line) {
        return json(line).get("eventType").asText();
    }

    private static Instant timestamp(JsonNode event) {
        return Instant.parse(event.get("timestamp").asText());
    }
}
