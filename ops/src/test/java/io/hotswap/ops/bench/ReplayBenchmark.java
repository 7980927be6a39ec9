package io.hotswap.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.hotswap.ops.bench.BenchTable.mark;

/**
 * G3 of BENCHMARKS.md: how fast each read model is rebuilt from the event store ({@code POST
 * /api/v1/projections/{name}/replay}, until {@code GET /api/v1/projections/{name}} shows it at the head), divided by
 * B3, one transaction on the same PostgreSQL that reads 100 events by {@code global_index}, upserts 100 rows of a
 * read-model table and updates one token row (rows a second), measured from this JVM right before each replay.
 * <p>
 * The store: the packaged server, on a fresh database of the machine's PostgreSQL, gets a few hundred real events
 * through its API (tenants, plugin versions and status changes, canaries of a small real plugin that complete and are
 * rolled back or are paused, resumed and rolled back mid-way with health checks every second, refused cross-tenant
 * reads). The server is stopped and those events are copied in SQL up to {@code bench.events}: each copy gets fresh
 * event identifiers, the next global indexes, and its own ids (tenant, plugin, deployment) in aggregate identifiers and
 * payloads (Axon's JSON), so a replay inserts new rows rather than meet its own. Every processor's token is moved to
 * the new head, so the copies start no saga and run no policy; the server is started again and left to finish its
 * event chain over them before anything is measured. Run from the repository root (the first command builds the jar
 * it launches):
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; mvn -B -q -pl ops -am test -Dtest=ReplayBenchmark
 * </pre>
 * Options: {@code -Dbench.events=200000 -Dbench.tenants=20 -Dbench.plugins=20 -Dbench.deployments=8
 * -Dbench.b3Seconds=5 -Dbench.projections=audit-trail,deployment-view,plugin-catalogue,tenant-view}, and
 * {@code -Dbench.serverJavaOptions=...} to profile the server (see {@link ServerJar}). Not part of {@code mvn test}:
 * surefire picks up {@code *Test} classes only.
 */
class ReplayBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 200_000);
    private static final int TENANTS = Integer.getInteger("bench.tenants", 20);
    private static final int PLUGINS = Integer.getInteger("bench.plugins", 20);
    private static final int DEPLOYMENTS = Integer.getInteger("bench.deployments", 8);
    private static final int B3_SECONDS = Integer.getInteger("bench.b3Seconds", 5);
    private static final List<String> PROJECTIONS = List.of(System.getProperty("bench.projections",
            "audit-trail,deployment-view,plugin-catalogue,tenant-view").split(","));
    private static final int VERSIONS = 3;
    private static final int B3_BATCH = 100;

    private final BenchTable table = new BenchTable();

    @Test
    void measure() throws Exception {
        Path jar = ServerJar.jar();
        Path work = Files.createTempDirectory("hotswap-replay-bench");
        String secret = "bench-" + UUID.randomUUID() + UUID.randomUUID();
        String database = TestDatabase.create();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_CONNECTION_STRING", database);
        env.put("JWT_SECRET", secret);
        env.put("RATELIMITING_ENABLED", "false");
        env.put("SERVER_PORT", Integer.toString(ServerJar.freePort()));
        env.put("TELEMETRY_PROMETHEUS_PORT", Integer.toString(ServerJar.freePort()));
        env.put("DATA_DIRECTORY", work.resolve("data").toString());
        env.put("AUDIT_CHAINSETTLE", "1s"); // the chain covers the copies soon after the restart, before measuring
        TokenIssuer tokens = new TokenIssuer(JwtKeys.resolve(secret, work), "plugin-manager", "plugin-api");
        BenchApi api = new BenchApi(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), "http://127.0.0.1:" + env.get("SERVER_PORT"),
                tokens.issue("bench-admin", List.of("platform-admin"), null, Duration.ofHours(4)));
        ServerJar server = ServerJar.start(jar, env, work);
        try {
            server.awaitHealthy(Duration.ofMinutes(3));
            long populating = System.nanoTime();
            populate(api, tokens);
            awaitCaughtUp(api, Duration.ofMinutes(3));
            server.stop();
            long real;
            long stored;
            try (Connection db = DriverManager.getConnection(database)) {
                real = count(db);
                multiply(db);
                stored = count(db);
            }
            System.out.printf("stored %d real events and copied them up to %d in %.0f s%n", real, stored,
                    (System.nanoTime() - populating) / 1e9);

            server = ServerJar.start(jar, env, work);
            server.awaitHealthy(Duration.ofMinutes(3));
            awaitChainCovers(database, Duration.ofMinutes(5));
            try (Connection db = DriverManager.getConnection(database)) {
                for (String projection : PROJECTIONS) {
                    double b3 = b3(db);
                    Replay replay = replay(api, server, projection.trim(), stored, Duration.ofMinutes(30));
                    double ratio = replay.eventsPerSecond() / b3;
                    table.row("%s replay: %,d events in %.1f s; B3 just before %,.0f rows/s; server CPU %.2f cores"
                                    .formatted(projection.trim(), replay.events(), replay.seconds(), b3, replay.serverCores()),
                            "%,.0f events/s = %.2f x B3 %s".formatted(replay.eventsPerSecond(), ratio, mark(ratio >= 0.5)),
                            ">= 0.5 x B3");
                }
            }
            table.row("store: real events through the API, copied to", "%,d; %,d".formatted(real, stored), "context");
            table.row("machine: cores; load average (1 min) at the end", "%d; %s".formatted(
                    Runtime.getRuntime().availableProcessors(), ServerJar.loadAverage()), "context");
            table.print();
        } catch (Exception | AssertionError e) {
            server.printLogTail();
            throw e;
        } finally {
            server.stop();
            TestDatabase.drop(database);
        }
    }

    /**
     * Tenants, plugin versions (some deprecated), cross-tenant reads refused (SecurityViolationDetected), and
     * deployments of a real plugin, each in a tenant of its own: the even ones complete and are rolled back (removing
     * the plugin), the odd ones hold in their first stage, are paused, resumed and rolled back.
     */
    private static void populate(BenchApi api, TokenIssuer tokens) throws Exception {
        byte[] plugin = SamplePlugins.healthy();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(8, DEPLOYMENTS));
        try {
            List<Future<BenchApi.Answer>> answers = new ArrayList<>();
            for (int t = 0; t < TENANTS; t++) {
                String tenant = tenant(t);
                answers.add(pool.submit(() -> api.postJson("/api/v1/tenants", """
                        {"tenantId": "%s", "name": "Tenant %s", "namespace": "%s",
                         "quotas": {"maxPlugins": 10, "maxCpu": 8.0, "maxMemoryGB": 16}}""".formatted(tenant, tenant, tenant))));
            }
            for (int p = 0; p < PLUGINS; p++) {
                for (int v = 0; v < VERSIONS; v++) {
                    String pluginId = plugin(p);
                    String version = "1." + v + ".0";
                    answers.add(pool.submit(() -> api.register(pluginId, version, plugin)));
                }
            }
            for (Future<BenchApi.Answer> answer : answers) answer.get().expect(201);
            for (int p = 0; p < PLUGINS; p += 2) {
                api.postJson("/api/v1/plugins/" + plugin(p) + "/versions/1.1.0/status", "{\"status\": \"Deprecated\"}")
                        .expect(200);
            }
            for (int t = 1; t < Math.min(TENANTS, 6); t++) {
                BenchApi intruder = new BenchApi(api.http(), api.base(),
                        tokens.issue("intruder-" + t, List.of("tenant-admin"), tenant(t), Duration.ofHours(1)));
                intruder.get("/api/v1/tenants/" + tenant(0)).expect(403);
            }
            List<Future<Void>> deployments = new ArrayList<>();
            for (int d = 0; d < DEPLOYMENTS; d++) {
                int number = d;
                deployments.add(pool.submit(() -> {
                    deployment(api, number);
                    return null;
                }));
            }
            for (Future<Void> deployment : deployments) deployment.get();
        } finally {
            pool.shutdown();
        }
    }

    private static void deployment(BenchApi api, int d) throws Exception {
        boolean completes = d % 2 == 0;
        String config = completes
                ? "\"stages\": \"50,100\", \"stageInterval\": \"2\", \"healthCheckInterval\": \"1\""
                : "\"stages\": \"10,30,50,100\", \"stageInterval\": \"3600\", \"healthCheckInterval\": \"1\"";
        String id = api.postJson("/api/v1/plugin-deployments", """
                {"pluginId": "%s", "pluginVersion": "1.0.0", "tenantId": "%s", "environment": "Production",
                 "strategy": "Canary", "strategyConfig": {%s}, "totalInstances": 2}"""
                .formatted(plugin(d % PLUGINS), tenant(d % TENANTS), config)).expect(202).json().get("deploymentId").asText();
        String path = "/api/v1/plugin-deployments/" + id;
        if (completes) {
            awaitDeployment(api, id, "Completed");
            api.postJson(path + "/rollback", "{\"reason\": \"bench: done\", \"removePlugin\": true}").expect(202);
        } else {
            awaitDeployment(api, id, "InProgress");
            Thread.sleep(3000); // a few health checks
            api.postJson(path + "/pause", "").expect(202);
            awaitDeployment(api, id, "Paused");
            api.postJson(path + "/resume", "").expect(202);
            awaitDeployment(api, id, "InProgress");
            Thread.sleep(3000);
            api.postJson(path + "/rollback", "{\"reason\": \"bench: high error rate\"}").expect(202);
        }
        awaitDeployment(api, id, "RolledBack");
    }

    private static void awaitDeployment(BenchApi api, String id, String status) throws Exception {
        Instant until = Instant.now().plus(Duration.ofMinutes(3));
        String last = "";
        while (Instant.now().isBefore(until)) {
            BenchApi.Answer answer = api.get("/api/v1/plugin-deployments/" + id);
            if (answer.status() == 200) {
                last = answer.json().get("status").asText();
                if (last.equals(status)) return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("deployment " + id + " did not reach " + status + " within 3 minutes: " + last);
    }

    /** Until every projection and policy has handled every stored event. */
    private static void awaitCaughtUp(BenchApi api, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            JsonNode all = api.get("/api/v1/projections").expect(200).json();
            boolean caughtUp = true;
            for (JsonNode projection : all) caughtUp &= projection.get("position").asLong() >= projection.get("head").asLong();
            if (caughtUp) return;
            Thread.sleep(250);
        }
        throw new IllegalStateException("the projections did not catch up within " + timeout);
    }

    /**
     * Copies the stored events up to {@link #EVENTS}, copy {@code k} after copy {@code k - 1}, each in the store's
     * order. Ids of the populated tenants, plugins and deployments (aggregate identifiers, and those values wherever
     * they stand in a payload) get {@code -k<k>}; an event without an aggregate (a security violation) is stored with
     * its own identifier as aggregate, as Axon stores it. Then every processor's token is moved to the head.
     */
    private static void multiply(Connection db) throws SQLException {
        long real = count(db);
        long copies = Math.max(0, (EVENTS - real + real - 1) / real);
        String ids = "\"(rb-[tp][0-9]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\"";
        try (Statement sql = db.createStatement()) {
            sql.execute("""
                    INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number,
                        type, time_stamp, payload_type, payload_revision, payload, meta_data)
                    SELECT (SELECT max(global_index) FROM domain_event_entry) + row_number() OVER (ORDER BY k, global_index),
                           copy_id,
                           CASE WHEN aggregate_identifier = event_identifier THEN copy_id
                                ELSE aggregate_identifier || '-k' || k END,
                           sequence_number, type, time_stamp, payload_type, payload_revision,
                           convert_to(regexp_replace(convert_from(payload, 'UTF8'), '%s', '"\\1-k' || k || '"', 'g'), 'UTF8'),
                           meta_data
                    FROM (SELECT e.*, k, gen_random_uuid()::text AS copy_id
                          FROM domain_event_entry e, generate_series(1, %d) AS k) AS copied
                    ORDER BY k, global_index""".formatted(ids, copies));
            sql.execute("SELECT setval('domain_event_entry_global_index_seq', (SELECT max(global_index) FROM domain_event_entry))");
            long head;
            try (ResultSet max = sql.executeQuery("SELECT max(global_index) FROM domain_event_entry")) {
                max.next();
                head = max.getLong(1);
            }
            try (ResultSet types = sql.executeQuery("SELECT DISTINCT token_type FROM token_entry")) {
                while (types.next()) System.out.println("token type before moving to the head: " + types.getString(1));
            }
            // Axon's JacksonSerializer form of a GapAwareTrackingToken at the head (checked against Axon 4.13.0)
            sql.execute("""
                    UPDATE token_entry SET token = convert_to('{"index":%d,"gaps":[]}', 'UTF8'),
                        token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken', owner = NULL""".formatted(head));
            sql.execute("ANALYZE domain_event_entry");
        }
    }

    /** Until the server's event chain covers the whole store, so it does not run beside a measurement. */
    private static void awaitChainCovers(String database, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        try (Connection db = DriverManager.getConnection(database); Statement sql = db.createStatement()) {
            while (Instant.now().isBefore(until)) {
                try (ResultSet covered = sql.executeQuery("SELECT (SELECT coalesce(max(last_index), -1) FROM "
                        + "event_chain_checkpoint) >= (SELECT max(global_index) FROM domain_event_entry)")) {
                    covered.next();
                    if (covered.getBoolean(1)) return;
                }
                Thread.sleep(1000);
            }
        }
        throw new IllegalStateException("the event chain did not cover the store within " + timeout);
    }

    /**
     * B3: transactions of one connection, each reading the next 100 events by global index, upserting 100 rows
     * (a JDBC batch) into a copy of {@code audit_entry} (its indexes included) and updating one token row; rows a
     * second over {@link #B3_SECONDS}, after as long again unmeasured. At the store's end it starts again from the
     * first event on an emptied copy, so every upsert inserts.
     */
    private static double b3(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS replay_bench_b3_rows, replay_bench_b3_token");
            sql.execute("CREATE TABLE replay_bench_b3_rows (LIKE audit_entry INCLUDING ALL)");
            sql.execute("CREATE TABLE replay_bench_b3_token (LIKE token_entry INCLUDING ALL)");
            sql.execute("INSERT INTO replay_bench_b3_token (processor_name, segment, token, token_type) "
                    + "VALUES ('b3', 0, NULL, 'GapAwareTrackingToken')");
        }
        db.setAutoCommit(false);
        try (PreparedStatement read = db.prepareStatement("SELECT global_index, event_identifier, aggregate_identifier, "
                + "payload_type, time_stamp, payload, meta_data FROM domain_event_entry WHERE global_index > ? "
                + "ORDER BY global_index LIMIT " + B3_BATCH);
             PreparedStatement upsert = db.prepareStatement("""
                     INSERT INTO replay_bench_b3_rows (position, event_id, event_type, aggregate_id, tenant_id, principal,
                         correlation_id, occurred_at, payload)
                     VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?::jsonb)
                     ON CONFLICT (event_id) DO UPDATE SET position = EXCLUDED.position, payload = EXCLUDED.payload""");
             PreparedStatement token = db.prepareStatement(
                     "UPDATE replay_bench_b3_token SET token = ?, timestamp = ? WHERE processor_name = 'b3' AND segment = 0");
             Statement empty = db.createStatement()) {
            long after = -1;
            long rows = 0;
            long started = System.nanoTime();
            long warmUpEnds = started + B3_SECONDS * 1_000_000_000L;
            long ends = warmUpEnds + B3_SECONDS * 1_000_000_000L;
            long measuredFrom = 0;
            long measuredRows = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= ends) break;
                if (measuredFrom == 0 && now >= warmUpEnds) {
                    measuredFrom = now;
                    measuredRows = rows;
                }
                read.setLong(1, after);
                int read100 = 0;
                try (ResultSet events = read.executeQuery()) {
                    while (events.next()) {
                        after = events.getLong("global_index");
                        upsert.setLong(1, after);
                        upsert.setString(2, events.getString("event_identifier"));
                        upsert.setString(3, events.getString("payload_type"));
                        upsert.setString(4, events.getString("aggregate_identifier"));
                        upsert.setTimestamp(5, Timestamp.from(Instant.parse(events.getString("time_stamp"))));
                        upsert.setString(6, new String(events.getBytes("payload"), StandardCharsets.UTF_8));
                        upsert.addBatch();
                        read100++;
                    }
                }
                if (read100 == 0) { // the store's end: again from its start, on an empty table
                    after = -1;
                    empty.execute("TRUNCATE replay_bench_b3_rows");
                    db.commit();
                    continue;
                }
                upsert.executeBatch();
                token.setBytes(1, ("{\"index\":" + after + ",\"gaps\":[]}").getBytes(StandardCharsets.UTF_8));
                token.setString(2, Instant.now().toString());
                token.executeUpdate();
                db.commit();
                rows += read100;
            }
            return (rows - measuredRows) / ((System.nanoTime() - measuredFrom) / 1e9);
        } finally {
            db.setAutoCommit(true);
            try (Statement sql = db.createStatement()) {
                sql.execute("DROP TABLE IF EXISTS replay_bench_b3_rows, replay_bench_b3_token");
            }
        }
    }

    private record Replay(long events, double seconds, double serverCores) {
        double eventsPerSecond() {
            return events / seconds;
        }
    }

    /**
     * From the replay request until the projection's status says it is no longer replaying and at the head; every stored
     * event passes through the processor, whether its projection handles it or not.
     */
    private static Replay replay(BenchApi api, ServerJar server, String projection, long events, Duration timeout)
            throws Exception {
        String path = "/api/v1/projections/" + projection;
        double cpuBefore = ServerJar.cpuSeconds(server.process.pid());
        long started = System.nanoTime();
        JsonNode accepted = api.postJson(path + "/replay", "").expect(202).json();
        long head = accepted.get("head").asLong();
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            JsonNode status = api.get(path).expect(200).json();
            if (!status.get("replaying").asBoolean() && status.get("position").asLong() >= head) {
                double seconds = (System.nanoTime() - started) / 1e9;
                double cores = (ServerJar.cpuSeconds(server.process.pid()) - cpuBefore) / seconds;
                System.out.printf("%s: replayed to %d in %.1f s%n", projection, head, seconds);
                return new Replay(events, seconds, cores);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(projection + " did not finish its replay within " + timeout);
    }

    private static long count(Connection db) throws SQLException {
        try (Statement sql = db.createStatement(); ResultSet count = sql.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            count.next();
            return count.getLong(1);
        }
    }

    private static String tenant(int number) {
        return "rb-t" + number;
    }

    private static String plugin(int number) {
        return "rb-p" + number;
    }
}
