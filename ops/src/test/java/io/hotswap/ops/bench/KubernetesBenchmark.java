package io.hotswap.ops.bench;

import ch.qos.logback.classic.Level;
import io.fabric8.mockwebserver.MockWebServer;
import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.ops.support.MockCluster;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.hotswap.ops.bench.BenchTable.mark;
import static io.hotswap.ops.bench.Percentiles.percentile;

/**
 * The Kubernetes provider on fabric8's mock API server with the stand-in kubelet ({@link MockCluster}, in this JVM):
 * the packaged server jar as a child process with {@code RUNTIME_PROVIDER=Kubernetes}, fabric8's client pointed at
 * the mock by environment variables, on a fresh database on the machine's PostgreSQL. Measured:
 * <ol>
 *   <li>{@code bench.tenants} tenants created at once: TenantCreated to TenantActivated in the event store;</li>
 *   <li>{@code bench.canaries} two-stage canaries of a jar plugin started in one instant (the stand-in kubelet makes
 *   their pods Ready): how long after its wait a stage starts, from the event store's timestamps as
 *   {@link OrchestrationBenchmark} measures it, beside the same baseline (db-scheduler's polling interval plus two
 *   commit latencies);</li>
 *   <li>Kubernetes API requests the server made (counted by the mock server, by the server's {@code User-Agent}) per
 *   tenant provisioned and per stage run;</li>
 *   <li>the server's CPU (/proc/&lt;pid&gt;/stat) while the canaries ran.</li>
 * </ol>
 * Run from the repository root (the first command builds the jar it launches):
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; mvn -B -q -pl ops -am test -Dtest=KubernetesBenchmark
 * </pre>
 * Options as {@code -Dbench.tenants=20 -Dbench.canaries=50 -Dbench.startSpacingMillis=0 -Dbench.stageWaitSeconds=20}.
 * Not part of {@code mvn test}: surefire picks up {@code *Test} classes only.
 */
class KubernetesBenchmark {

    private static final String TENANT_PREFIX = "bench-t";
    private static final int TENANTS = Integer.getInteger("bench.tenants", 20);
    private static final int CANARIES = Integer.getInteger("bench.canaries", 50);
    /** 0: every canary is started at once, so their stages come due in the same instant. */
    private static final int START_SPACING_MILLIS = Integer.getInteger("bench.startSpacingMillis", 0);
    /** Sent by the server's fabric8 client, so that the mock tells its requests from the stand-in kubelet's. */
    private static final String SERVER_AGENT = "hotswap-plugin-manager-bench";

    /** Held, so that its level stays: the mock's web server logs every request it answers at INFO. */
    private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
            java.util.logging.Logger.getLogger(MockWebServer.class.getName());

    private final BenchTable table = new BenchTable();

    @Test
    void measure() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        MOCK_WEB_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        Path jar = ServerJar.jar();
        Path work = Files.createTempDirectory("hotswap-kubernetes-bench");
        String database = TestDatabase.create();
        String secret = "bench-" + UUID.randomUUID() + UUID.randomUUID();
        ServerJar server = null;
        try (MockCluster cluster = new MockCluster()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DB_CONNECTION_STRING", database);
            env.put("JWT_SECRET", secret);
            env.put("SERVER_PORT", Integer.toString(ServerJar.freePort()));
            env.put("TELEMETRY_PROMETHEUS_PORT", Integer.toString(ServerJar.freePort()));
            env.put("DATA_DIRECTORY", work.resolve("data").toString());
            env.put("RATELIMITING_ENABLED", "false");
            env.put("DEPLOYMENT_MAXCONCURRENTDEPLOYMENTS", Integer.toString(Math.max(10, CANARIES)));
            env.putAll(MockCluster.serverEnvironment(cluster.url()));
            env.put("KUBERNETES_USER_AGENT", SERVER_AGENT);
            server = ServerJar.start(jar, env, work);
            Duration startUp = server.awaitHealthy(Duration.ofMinutes(3));
            String token = new TokenIssuer(JwtKeys.resolve(secret, work), "plugin-manager", "plugin-api")
                    .issue("bench-admin", List.of("platform-admin"), null, Duration.ofHours(2));
            JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(database));
            OrchestrationBenchmark bench = new OrchestrationBenchmark("http://127.0.0.1:" + env.get("SERVER_PORT"), token, jdbc);
            table.row("start-up (process start to /health 200), RUNTIME_PROVIDER=Kubernetes on the mock API server",
                    "%.1f s".formatted(startUp.toMillis() / 1000.0), "reported");

            long requestsBefore = serverRequests(cluster);
            List<Double> untilActive = tenantsAtOnce(bench, jdbc);
            long provisioning = serverRequests(cluster) - requestsBefore;
            table.row("%d tenants created at once: TenantCreated -> TenantActivated (event store), p50 / p99 / max".formatted(TENANTS),
                    "%.0f / %.0f / %.0f ms".formatted(percentile(untilActive, 50), percentile(untilActive, 99),
                            percentile(untilActive, 100)), "reported");
            table.row("Kubernetes API requests per tenant provisioned", "%.1f (%d for %d tenants)"
                    .formatted((double) provisioning / TENANTS, provisioning, TENANTS), "reported");

            double pollingMs = pollingIntervalMillis();
            double commitMs = bench.commitLatencyMillis();
            table.row("B: commit latency (mean of 200 single-row commits, same PostgreSQL)", "%.2f ms".formatted(commitMs), "baseline");

            Map<String, Long> byMethodBefore = cluster.requestsFrom(SERVER_AGENT);
            double serverCpuBefore = ServerJar.cpuSeconds(server.process.pid());
            double harnessCpuBefore = ServerJar.cpuSeconds(ProcessHandle.current().pid());
            Instant canariesStart = Instant.now();
            List<String> ids = bench.completedCanaries(TENANT_PREFIX + 0, CANARIES, START_SPACING_MILLIS);
            double seconds = Duration.between(canariesStart, Instant.now()).toMillis() / 1000.0;
            double serverCpu = ServerJar.cpuSeconds(server.process.pid()) - serverCpuBefore;
            double harnessCpu = ServerJar.cpuSeconds(ProcessHandle.current().pid()) - harnessCpuBefore;
            Map<String, Long> byMethod = difference(cluster.requestsFrom(SERVER_AGENT), byMethodBefore);
            long requests = byMethod.values().stream().mapToLong(Long::longValue).sum();
            long stages = jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%.DeploymentStageAdvanced'")
                    .query(Long.class).single();

            OrchestrationBenchmark.StageTimings timings = bench.stageTimings(ids);
            List<Double> late = timings.deadlineLateness();
            double lateP99 = percentile(late, 99);
            table.row("stage start after its wait, p50 / p99 / max, %d canaries (2 instances, stages 50,100) started %d ms apart (%d stages healthy before their wait ended)"
                            .formatted(CANARIES, START_SPACING_MILLIS, late.size()),
                    "%.0f / %.0f / %.0f ms %s".formatted(percentile(late, 50), lateP99, percentile(late, 100), mark(lateP99 < 250)),
                    "p99 < 250 ms");
            table.row("G8: stage start lateness p99 / (polling %.0f ms + 2 commits)".formatted(pollingMs),
                    "%.2f %s".formatted(lateP99 / (pollingMs + 2 * commitMs), mark(lateP99 / (pollingMs + 2 * commitMs) <= 1)), "<= 1");
            List<Double> gated = timings.healthGateDelay();
            table.row("health-gated stages (healthy only after the wait): count, delay from the healthy check p50 / p99",
                    "%d, %.0f / %.0f ms".formatted(gated.size(), percentile(gated, 50), percentile(gated, 99)), "reported");
            table.row("Kubernetes API requests per stage: the server's requests from the first start until all %d canaries Completed (%.0f s) / stages run"
                            .formatted(CANARIES, seconds),
                    "%.1f (%d / %d; %s)".formatted((double) requests / stages, requests, stages, byMethod), "reported");
            table.row("CPU while the canaries ran: server; this JVM (mock API server, stand-in kubelet, benchmark)",
                    "%.2f cores (%.1f CPU-s, %.0f ms per stage); %.2f cores".formatted(serverCpu / seconds, serverCpu,
                            serverCpu * 1000 / stages, harnessCpu / seconds), "reported");
            table.row("machine: cores; load average (1 min) at the end", "%d; %s".formatted(
                    Runtime.getRuntime().availableProcessors(), ServerJar.loadAverage()), "context");
            table.print();
        } catch (Throwable failure) {
            if (server != null) server.printLogTail();
            throw failure;
        } finally {
            if (server != null) server.stop();
            TestDatabase.dropAll();
        }
    }

    /** Creates TENANTS tenants from as many threads released together; milliseconds from created to Active. */
    private static List<Double> tenantsAtOnce(OrchestrationBenchmark bench, JdbcClient jdbc) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(TENANTS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> created = new ArrayList<>();
            for (int i = 0; i < TENANTS; i++) {
                String tenantId = TENANT_PREFIX + i;
                created.add(pool.submit(() -> {
                    go.await();
                    bench.tenant(tenantId, CANARIES);
                    return null;
                }));
            }
            go.countDown();
            for (Future<Object> answer : created) answer.get();
        } finally {
            pool.shutdown();
        }
        Instant until = Instant.now().plusSeconds(120);
        while (activated(jdbc) < TENANTS) {
            if (Instant.now().isAfter(until)) throw new IllegalStateException(activated(jdbc) + " of " + TENANTS + " tenants Active");
            Thread.sleep(200);
        }
        Map<String, Instant> createdAt = new HashMap<>();
        Map<String, Instant> activeAt = new HashMap<>();
        jdbc.sql("""
                SELECT aggregate_identifier, payload_type, time_stamp FROM domain_event_entry
                 WHERE payload_type LIKE '%.TenantCreated' OR payload_type LIKE '%.TenantActivated'""")
                .query((row, n) -> (row.getString(2).endsWith(".TenantCreated") ? createdAt : activeAt)
                        .putIfAbsent(row.getString(1), Instant.parse(row.getString(3))))
                .list();
        return createdAt.keySet().stream()
                .map(tenant -> (double) Duration.between(createdAt.get(tenant), activeAt.get(tenant)).toMillis()).toList();
    }

    private static long activated(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%.TenantActivated'")
                .query(Long.class).single();
    }

    private static long serverRequests(MockCluster cluster) {
        return cluster.requestsFrom(SERVER_AGENT).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> difference = new LinkedHashMap<>();
        after.forEach((key, count) -> difference.put(key, count - before.getOrDefault(key, 0L)));
        return difference;
    }

    /** db-scheduler's polling interval as the jar's application.yml sets it (the same file is on this classpath). */
    private static double pollingIntervalMillis() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        return DurationStyle.detectAndParse(yaml.getObject().getProperty("db-scheduler.polling-interval")).toMillis();
    }
}
