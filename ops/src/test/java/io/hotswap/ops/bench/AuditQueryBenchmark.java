package io.hotswap.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.ops.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

import static io.hotswap.ops.bench.BenchTable.mark;
import static io.hotswap.ops.bench.Percentiles.percentile;

/**
 * The audit trail's listing at a million entries: a fresh database on the machine's PostgreSQL
 * ({@code HOTSWAP_TEST_POSTGRES}) is migrated and filled with SQL (generate_series) in the shape the audit-trail
 * projection writes, over 1,000 tenants and 90 days, then vacuumed and analysed as autovacuum would; the packaged
 * server runs on it. For each filter (none, tenant, event type, principal, a day's time range, tenant and type) it
 * asks for 300 first pages, with values picked at random, and walks 40 of them on by {@code next} cursors, 50 pages
 * in, one request after another; it prints the p50/p99 of the first pages and of the pages after them (goal p99
 * &lt; 50 ms), beside the same SQL straight on the database as a baseline and offset pages for comparison.
 * Run from the repository root (the first command builds the jar it launches):
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; mvn -B -q -pl ops -am test -Dtest=AuditQueryBenchmark
 * </pre>
 * Options: {@code -Dbench.rows=1000000 -Dbench.tenants=1000 -Dbench.firstPages=300 -Dbench.walks=40
 * -Dbench.warmUpWalks=10 -Dbench.pages=50 -Dbench.size=20}.
 */
class AuditQueryBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final int TENANTS = Integer.getInteger("bench.tenants", 1000);
    private static final int FIRST_PAGES = Integer.getInteger("bench.firstPages", 300);
    private static final int WALKS = Integer.getInteger("bench.walks", 40);
    private static final int WARM_UP_WALKS = Integer.getInteger("bench.warmUpWalks", 10);
    private static final int PAGES = Integer.getInteger("bench.pages", 50);
    private static final int SIZE = Integer.getInteger("bench.size", 20);
    private static final int DAYS = 90;
    private static final String[] TYPES = {"HealthCheckRecorded", "DeploymentStageAdvanced", "DeploymentStarted",
            "TenantQuotaReserved", "DeploymentCompleted", "DeploymentHealthChanged", "DeploymentRollbackStarted",
            "DeploymentRolledBack", "PluginVersionRegistered", "PluginVersionStatusChanged", "TenantQuotaReleased",
            "DeploymentPaused", "DeploymentResumed", "DeploymentPromoted", "TenantCreated", "SecurityViolationDetected"};

    /**
     * The entries, in store order and time order (7.8 s apart over 90 days, a few ms of jitter): a share of each type
     * as a running installation makes them (half of them health checks, one in a thousand a tenant's creation), each
     * of a tenant picked by hash, the plugin catalogue's without one; health checks and stage steps by {@code system},
     * plugin versions by one of 20 publishing principals, the rest by one of five people of the tenant.
     */
    private static final String FILL = """
            INSERT INTO audit_entry (position, event_id, event_type, aggregate_id, tenant_id, principal, correlation_id,
                                     occurred_at, payload)
            SELECT i, uuid_in(md5('event' || i)::cstring)::text, t.type,
                   CASE WHEN t.type LIKE 'Plugin%%' THEN 'plugin-' || (i %% 300)
                        WHEN t.type LIKE 'Tenant%%' OR t.type = 'SecurityViolationDetected' THEN tenant
                        ELSE 'dep-' || md5('dep' || (i / 40)) END,
                   CASE WHEN t.type LIKE 'Plugin%%' THEN NULL ELSE tenant END,
                   CASE WHEN t.type IN ('HealthCheckRecorded', 'DeploymentStageAdvanced', 'DeploymentHealthChanged',
                                        'DeploymentCompleted', 'TenantQuotaReserved') THEN 'system'
                        WHEN t.type LIKE 'Plugin%%' THEN 'publisher-' || (i %% 20)
                        ELSE 'user-' || u || '@' || tenant END,
                   uuid_in(md5('correlation' || (i / 3))::cstring)::text,
                   timestamptz '%s' + i * interval '%d microseconds' + (i %% 7) * interval '3 milliseconds',
                   jsonb_build_object('deploymentId', 'dep-' || md5('dep' || (i / 40)), 'tenantId', tenant,
                                      'healthy', i %% 11 <> 0, 'consecutiveFailures', 0, 'stage', i %% 4,
                                      'percentage', 25 * (i %% 4 + 1))
            FROM generate_series(1::bigint, %d) AS i,
                 LATERAL (SELECT 'tenant-' || lpad((abs(hashint8(i)) %% %d)::text, 4, '0') AS tenant,
                                 abs(hashint8(-i)) %% 1000 AS r, abs(hashint8(i + 7777777)) %% 5 AS u) AS g,
                 LATERAL (SELECT CASE WHEN r < 500 THEN 'HealthCheckRecorded' WHEN r < 650 THEN 'DeploymentStageAdvanced'
                                      WHEN r < 700 THEN 'DeploymentStarted' WHEN r < 750 THEN 'TenantQuotaReserved'
                                      WHEN r < 790 THEN 'DeploymentCompleted' WHEN r < 840 THEN 'DeploymentHealthChanged'
                                      WHEN r < 850 THEN 'DeploymentRollbackStarted' WHEN r < 860 THEN 'DeploymentRolledBack'
                                      WHEN r < 890 THEN 'PluginVersionRegistered' WHEN r < 910 THEN 'PluginVersionStatusChanged'
                                      WHEN r < 930 THEN 'TenantQuotaReleased' WHEN r < 950 THEN 'DeploymentPaused'
                                      WHEN r < 970 THEN 'DeploymentResumed' WHEN r < 994 THEN 'DeploymentPromoted'
                                      WHEN r < 995 THEN 'TenantCreated' ELSE 'SecurityViolationDetected' END AS type) AS t""";

    private final BenchTable table = new BenchTable();

    /** The latencies of one filter's first pages and of the pages after them, in ms. */
    private record Walks(List<Double> first, List<Double> later) {

        Walks() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    @Test
    void measure() throws Exception {
        Path work = Files.createTempDirectory("hotswap-audit-bench");
        String url = TestDatabase.create();
        ServerJar server = null;
        try {
            Instant start = Instant.now().minus(DAYS, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            fill(url, start);
            String secret = "bench-" + UUID.randomUUID() + UUID.randomUUID();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DB_CONNECTION_STRING", url);
            env.put("JWT_SECRET", secret);
            env.put("RATELIMITING_ENABLED", "false");
            env.put("SERVER_PORT", Integer.toString(ServerJar.freePort()));
            env.put("TELEMETRY_PROMETHEUS_PORT", Integer.toString(ServerJar.freePort()));
            env.put("DATA_DIRECTORY", work.resolve("data").toString());
            server = ServerJar.start(ServerJar.jar(), env, work);
            server.awaitHealthy(Duration.ofMinutes(3));
            TokenIssuer tokens = new TokenIssuer(JwtKeys.resolve(secret, work), "plugin-manager", "plugin-api");
            BenchApi api = new BenchApi(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build(), "http://127.0.0.1:" + env.get("SERVER_PORT"),
                    tokens.issue("bench-admin", List.of("platform-admin"), null, Duration.ofHours(2)));
            String loadBefore = ServerJar.loadAverage();

            Random random = new Random(42);
            Map<String, IntFunction<String>> filters = new LinkedHashMap<>();
            filters.put("no filter", w -> "");
            filters.put("tenantId", w -> "tenantId=" + tenant(random));
            filters.put("eventType", w -> "eventType=" + TYPES[w % TYPES.length]);
            filters.put("principal (a publishing principal)", w -> "principal=publisher-" + random.nextInt(20));
            filters.put("from/to (one day)", w -> {
                Instant from = start.plus(random.nextInt(DAYS - 1), ChronoUnit.DAYS).plusSeconds(random.nextInt(86_400));
                return "from=" + from + "&to=" + from.plus(1, ChronoUnit.DAYS);
            });
            filters.put("tenantId + eventType", w -> "tenantId=" + tenant(random) + "&eventType=" + TYPES[w % 3]);
            for (var filter : filters.values()) { // every query shape once through the JIT compiler first
                for (int w = 0; w < WARM_UP_WALKS; w++) walk(api, filter.apply(w), new Walks(), PAGES);
            }
            databaseBaseline(url, random);
            for (var filter : filters.entrySet()) {
                Walks walks = new Walks();
                for (int w = 0; w < FIRST_PAGES; w++) walk(api, filter.getValue().apply(w), walks, w < WALKS ? PAGES : 1);
                report(filter.getKey(), walks);
            }
            offsetPages(api);
            table.row("machine: cores; load average (1 min) before / after the walks", "%d; %s / %s".formatted(
                    Runtime.getRuntime().availableProcessors(), loadBefore, ServerJar.loadAverage()), "context");
            table.print();
        } catch (Exception | AssertionError e) {
            if (server != null) server.printLogTail();
            throw e;
        } finally {
            if (server != null) server.stop();
            TestDatabase.drop(url);
        }
    }

    /** Migrates the database as the server would, writes the entries, and vacuums and analyses the table. */
    private void fill(String url, Instant start) {
        try (HikariDataSource database = new HikariDataSource()) {
            database.setJdbcUrl(url);
            Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
            JdbcClient jdbc = JdbcClient.create(database);
            long began = System.nanoTime();
            long spacingMicros = DAYS * 86_400_000_000L / ROWS;
            jdbc.sql(FILL.formatted(start, spacingMicros, ROWS, TENANTS)).update();
            double filled = (System.nanoTime() - began) / 1e9;
            jdbc.sql("VACUUM ANALYZE audit_entry").update();
            // events the server stores from now on come after the entries, as they would in the store
            jdbc.sql("SELECT setval('domain_event_entry_global_index_seq', ?)").param(ROWS).query(Long.class).single();
            table.row("audit entries written with SQL (%,d tenants, %d days), then VACUUM ANALYZE".formatted(TENANTS, DAYS),
                    "%,d in %.0f s + %.0f s; table and indexes %s".formatted(ROWS, filled,
                            (System.nanoTime() - began) / 1e9 - filled,
                            jdbc.sql("SELECT pg_size_pretty(pg_total_relation_size('audit_entry'))").query(String.class).single()),
                    "context");
        }
    }

    /** The first page with {@code query}, then on by {@code next} until {@code pages} pages or the end. */
    private static void walk(BenchApi api, String query, Walks walks, int pages) throws Exception {
        String path = "/api/v1/audit?" + (query.isEmpty() ? "" : query + "&") + "size=" + SIZE;
        Set<String> seen = new HashSet<>();
        for (int page = 0; page < pages; page++) {
            long began = System.nanoTime();
            BenchApi.Answer answer = api.get(path);
            double millis = (System.nanoTime() - began) / 1e6;
            answer.expect(200);
            (page == 0 ? walks.first() : walks.later()).add(millis);
            JsonNode json = answer.json();
            for (JsonNode entry : json.get("items")) {
                if (!seen.add(entry.get("eventId").asText())) throw new IllegalStateException("seen twice: " + entry);
            }
            if (json.get("next").isNull()) return;
            path = "/api/v1/audit?after=" + URLEncoder.encode(json.get("next").asText(), StandardCharsets.UTF_8) + "&size=" + SIZE;
        }
    }

    private void report(String filter, Walks walks) {
        double firstP99 = percentile(walks.first(), 99);
        double laterP99 = percentile(walks.later(), 99);
        table.row("GET /audit, %s: first page, p50 / p99 (%d requests)".formatted(filter, walks.first().size()),
                "%.1f / %.1f ms %s".formatted(percentile(walks.first(), 50), firstP99, mark(firstP99 < 50)), "p99 < 50 ms");
        table.row("GET /audit, %s: pages 2 to %d by next, p50 / p99 (%,d pages, %.0f a walk)".formatted(filter, PAGES,
                        walks.later().size(), 1 + (double) walks.later().size() / WALKS),
                "%.1f / %.1f ms %s".formatted(percentile(walks.later(), 50), laterP99, mark(laterP99 < 50)), "p99 < 50 ms");
    }

    /**
     * The baseline: what the database alone takes for a page without filter, from this JVM over JDBC, the two
     * statements the server runs for it (the keyset page, the capped count) at random places in the trail.
     */
    private void databaseBaseline(String url, Random random) {
        try (HikariDataSource database = new HikariDataSource()) {
            database.setJdbcUrl(url);
            JdbcClient jdbc = JdbcClient.create(database);
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < FIRST_PAGES; i++) {
                long began = System.nanoTime();
                jdbc.sql("SELECT * FROM audit_entry WHERE (position, event_id) > (?, ?) ORDER BY position, event_id LIMIT ?")
                        .params(random.nextInt(ROWS), "", SIZE + 1).query().listOfRows();
                jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM audit_entry LIMIT ?) AS counted").param(10_001)
                        .query(Long.class).single();
                if (i >= FIRST_PAGES / 10) millis.add((System.nanoTime() - began) / 1e6); // the first ones warm up
            }
            table.row("baseline: the SQL of a page without filter alone (keyset page and capped count, over JDBC), p50 / p99",
                    "%.1f / %.1f ms".formatted(percentile(millis, 50), percentile(millis, 99)), "baseline");
        }
    }

    /** For comparison: offset pages (still taken) at the 50th page and halfway through the trail, no filter. */
    private void offsetPages(BenchApi api) throws Exception {
        for (int page : List.of(PAGES - 1, ROWS / SIZE / 2)) {
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long began = System.nanoTime();
                api.get("/api/v1/audit?page=" + page + "&size=" + SIZE).expect(200);
                millis.add((System.nanoTime() - began) / 1e6);
            }
            table.row("GET /audit?page=%,d (offset %,d), no filter: p50 / max of 10".formatted(page, (long) page * SIZE),
                    "%.1f / %.1f ms".formatted(percentile(millis, 50), percentile(millis, 100)), "compared");
        }
    }

    private static String tenant(Random random) {
        return "tenant-%04d".formatted(random.nextInt(TENANTS));
    }
}
