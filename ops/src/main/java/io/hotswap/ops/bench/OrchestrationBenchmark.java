package io.hotswap.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.HotSwapApplication;
import io.hotswap.ops.security.TokenIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.hotswap.ops.bench.Percentiles.percentile;

/**
 * {@code java [-Dbench.stageWaitSeconds=20] [-Dbench.startSpacingMillis=200] -jar hotswap-plugin-manager.jar bench
 * [canaries=50] [rollbacks=5]}: runs the embedded default in a fresh data directory and measures orchestration from
 * the event store's own timestamps:
 * <ul>
 *   <li>stage lateness: how long after its wait a stage starts, over {@code canaries} concurrent canary
 *   deployments of small real plugins (the deadline, the health gate and the command together);</li>
 *   <li>rollback time: from the health check that crosses the failure threshold to {@code RolledBack}, with 4
 *   instances;</li>
 *   <li>the baseline it is judged against: db-scheduler's polling interval plus two commit latencies measured on the
 *   same PostgreSQL (BENCHMARKS.md, G8);</li>
 *   <li>a deployment's status read at about 500 requests/s by wrk from a second process: latency and server CPU.</li>
 * </ul>
 */
public final class OrchestrationBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for every instance to start before the wait ends, so the deadline is measured, not JVM start-up. */
    private static final int STAGE_WAIT_SECONDS = Integer.getInteger("bench.stageWaitSeconds", 20);
    /**
     * Time between two starts. With 0 every stage of every deployment comes due in the same instant (a burst: 50 JVMs
     * start at once on the machine); the default spreads them over 10 s, all 50 still running at the same time.
     */
    private static final int START_SPACING_MILLIS = Integer.getInteger("bench.startSpacingMillis", 200);

    private static final int GET_RATE = 500;
    private static final int GET_SECONDS = 30;
    private static final int GET_CONNECTIONS = 50;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;
    private final JdbcClient jdbc;

    private OrchestrationBenchmark(ConfigurableApplicationContext server) {
        this("http://localhost:" + server.getEnvironment().getProperty("local.server.port"),
                server.getBean(TokenIssuer.class).issue("bench", List.of("platform-admin"), null, Duration.ofHours(2)),
                server.getBean(JdbcClient.class));
    }

    /** On a server at {@code serverUrl} (another process's too), with an admin's token and its event store. */
    OrchestrationBenchmark(String serverUrl, String token, JdbcClient jdbc) {
        this.base = serverUrl + "/api/v1";
        this.token = token;
        this.jdbc = jdbc;
    }

    /** How much to measure: {@code bench [canaries=50] [rollbacks=5]}, or the same numbers by position. */
    public record Options(int canaries, int rollbacks) {

        /** @throws IllegalArgumentException naming the argument that is not a count above 0 */
        public static Options parse(String... args) {
            Map<String, Integer> counts = new HashMap<>(Map.of("canaries", 50, "rollbacks", 5));
            List<String> names = List.of("canaries", "rollbacks");
            if (args.length > names.size()) throw new IllegalArgumentException("too many arguments: " + String.join(" ", args));
            for (int i = 0; i < args.length; i++) {
                int equals = args[i].indexOf('=');
                String name = equals < 0 ? names.get(i) : args[i].substring(0, equals);
                String value = args[i].substring(equals + 1);
                if (!names.contains(name)) throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                int count;
                try {
                    count = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    count = 0;
                }
                if (count <= 0) throw new IllegalArgumentException(name + " must be a whole number above 0, not '" + value + "'");
                counts.put(name, count);
            }
            return new Options(counts.get("canaries"), counts.get("rollbacks"));
        }
    }

    public static int run(Options options) throws Exception {
        int canaries = options.canaries();
        int rollbacks = options.rollbacks();
        Path data = Files.createTempDirectory("hotswap-bench");
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(HotSwapApplication.class).run(
                "--Data.Directory=" + data,
                "--server.port=0", "--management.server.port=0", "--RateLimiting.Enabled=false",
                "--Deployment.MaxConcurrentDeployments=" + Math.max(10, canaries + rollbacks),
                "--logging.level.root=WARN", "--logging.level.io.hotswap=WARN")) {
            OrchestrationBenchmark bench = new OrchestrationBenchmark(server);
            double pollingMs = DurationStyle.detectAndParse(
                    server.getEnvironment().getProperty("db-scheduler.polling-interval", "10s")).toMillis();
            double commitMs = bench.commitLatencyMillis();
            System.out.printf("%n| figure | measured | target |%n|---|---|---|%n");
            System.out.printf("| B: commit latency (mean of 200 single-row commits) | %.2f ms | |%n", commitMs);
            bench.tenant("bench-canaries", canaries);
            List<String> ids = bench.completedCanaries("bench-canaries", canaries, START_SPACING_MILLIS);
            StageTimings stages = bench.stageTimings(ids);
            bench.rollBack(ids);
            List<Double> late = stages.deadlineLateness();
            List<Double> gated = stages.healthGateDelay();
            System.out.printf("| stage start after its wait, p50 / p99 / max, %d concurrent canaries started %d ms apart (%d stages healthy before their wait ended) | %.0f / %.0f / %.0f ms | p99 < 250 ms |%n",
                    canaries, START_SPACING_MILLIS, late.size(), percentile(late, 50), percentile(late, 99), percentile(late, 100));
            System.out.printf("| G8: stage start lateness p99 / (polling %.0f ms + 2 commits) | %.2f | <= 1 |%n",
                    pollingMs, percentile(late, 99) / (pollingMs + 2 * commitMs));
            Timer deadlines = server.getBean(MeterRegistry.class).find("plugin.deployments.deadline.lateness")
                    .tag("deadline", "stage-wait").timer();
            double deadlineP99 = deadlines == null ? Double.NaN : Arrays.stream(deadlines.takeSnapshot().percentileValues())
                    .filter(p -> p.percentile() == 0.99).mapToDouble(p -> p.value(TimeUnit.MILLISECONDS)).findFirst().orElse(Double.NaN);
            System.out.printf("| stage-wait deadline fired after its due time: p99 / max, %d deadlines | %.0f / %.0f ms | |%n",
                    deadlines == null ? 0 : deadlines.count(), deadlineP99,
                    deadlines == null ? Double.NaN : deadlines.max(TimeUnit.MILLISECONDS));
            System.out.printf("| health-gated stages (healthy only after the wait): count, delay from the healthy check p50 / p99 | %d, %.0f / %.0f ms | |%n",
                    gated.size(), percentile(gated, 50), percentile(gated, 99));
            List<Double> rollbackSeconds = bench.rollbacks(rollbacks);
            System.out.printf("| threshold crossed -> RolledBack, 4 instances, p50 / max of %d | %.2f / %.2f s | < 5 s |%n",
                    rollbacks, percentile(rollbackSeconds, 50), percentile(rollbackSeconds, 100));
            System.out.printf("| %s |%n", bench.statusUnderLoad(data));
            return 0;
        }
    }

    /** Stage timings of the canary run, split by what held each stage back. */
    record StageTimings(List<Double> deadlineLateness, List<Double> healthGateDelay) {
    }

    /**
     * Starts {@code count} two-stage canaries of a small healthy plugin in the tenant, {@code spacingMillis} apart,
     * and returns their ids once all have completed.
     */
    List<String> completedCanaries(String tenantId, int count, int spacingMillis) throws Exception {
        register("bench-ok", "1.0.0", SamplePlugins.healthy());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i > 0 && spacingMillis > 0) Thread.sleep(spacingMillis);
            ids.add(deploy(tenantId, "bench-ok", "1.0.0", "Env" + i, 2,
                    "\"stages\": \"50,100\", \"stageInterval\": \"" + STAGE_WAIT_SECONDS + "\", \"healthCheckInterval\": \"5\""));
        }
        awaitAll(ids, "Completed", Duration.ofMinutes(5));
        return ids;
    }

    /**
     * From the event store's timestamps. A stage moves on when its wait is over and a health check found it healthy,
     * whichever comes last: a stage healthy before its wait ended measures the deadline (how late after the wait it
     * moved on); one that became healthy only later measures the health gate (how long after that check).
     */
    StageTimings stageTimings(List<String> ids) {
        StageTimings timings = new StageTimings(new ArrayList<>(), new ArrayList<>());
        for (String id : ids) {
            List<Instant> stages = eventTimes(id, "DeploymentStageAdvanced");
            for (int s = 1; s < stages.size(); s++) {
                Instant due = stages.get(s - 1).plusSeconds(STAGE_WAIT_SECONDS);
                Instant healthy = firstHealthyCheckAfter(id, stages.get(s - 1));
                if (healthy.isBefore(due)) {
                    timings.deadlineLateness().add((double) Duration.between(due, stages.get(s)).toMillis());
                } else {
                    timings.healthGateDelay().add((double) Duration.between(healthy, stages.get(s)).toMillis());
                }
            }
        }
        return timings;
    }

    void rollBack(List<String> ids) throws Exception {
        for (String id : ids) post("/plugin-deployments/" + id + "/rollback", "{\"reason\": \"benchmark done\"}");
        awaitAll(ids, "RolledBack", Duration.ofMinutes(2));
    }

    /**
     * One deployment's status read by wrk, a second process, at about {@link #GET_RATE} requests/s for
     * {@link #GET_SECONDS} s: {@link #GET_CONNECTIONS} connections, each waiting {@code connections / rate} between
     * answers (wrk 4 has no fixed-rate mode), so the achieved rate is a little under the target and is reported.
     */
    private String statusUnderLoad(Path work) throws Exception {
        String figure = "GET /plugin-deployments/{id} from wrk (a second process), %d connections paced to %d requests/s for %d s: achieved rate; latency p50 / p99 / max; errors; server CPU per request"
                .formatted(GET_CONNECTIONS, GET_RATE, GET_SECONDS);
        String id = get("/plugin-deployments?tenantId=bench-canaries&size=1").path("items").path(0).path("deploymentId").asText();
        Path script = work.resolve("status.lua");
        Files.writeString(script, """
                wrk.headers["Authorization"] = "Bearer %s"
                function delay() return %d end
                function done(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("wrk-result %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
                    latency:percentile(50), latency:percentile(99), latency.max,
                    e.connect + e.read + e.write + e.status + e.timeout))
                end
                """.formatted(token, GET_CONNECTIONS * 1000 / GET_RATE));
        Process wrk;
        try {
            wrk = new ProcessBuilder("wrk", "-t2", "-c" + GET_CONNECTIONS, "-d" + GET_SECONDS + "s", "-s", script.toString(),
                    base + "/plugin-deployments/" + id).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return figure + " | not measured: wrk is not installed (apt-get install wrk) | reported";
        }
        long cpuBefore = processCpuNanos();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long cpu = processCpuNanos() - cpuBefore;
        if (wrk.waitFor() != 0 || !output.contains("wrk-result")) throw new IllegalStateException("wrk failed:\n" + output);
        String[] r = output.substring(output.indexOf("wrk-result")).split("\\s+");
        long requests = Long.parseLong(r[1]);
        return "%s | %.0f requests/s; %.2f / %.2f / %.1f ms; %s; %.2f ms | reported".formatted(figure,
                requests / (Long.parseLong(r[2]) / 1e6), Long.parseLong(r[3]) / 1e3, Long.parseLong(r[4]) / 1e3,
                Long.parseLong(r[5]) / 1e3, r[6], cpu / 1e6 / requests);
    }

    /** CPU this JVM, and so the embedded server in it, has used; the benchmark's own thread only waits for wrk here. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private Instant firstHealthyCheckAfter(String deploymentId, Instant after) {
        return jdbc.sql("""
                SELECT time_stamp FROM domain_event_entry WHERE aggregate_identifier = ?
                  AND payload_type LIKE '%HealthCheckRecorded' AND time_stamp > ?
                  AND (convert_from(payload, 'UTF8')::jsonb ->> 'healthy')::boolean
                ORDER BY sequence_number LIMIT 1""").params(deploymentId, after.toString())
                .query(String.class).optional().map(Instant::parse).orElseThrow();
    }

    /** Deploys a failing plugin to 4 instances, {@code count} times, and returns threshold-to-RolledBack seconds. */
    private List<Double> rollbacks(int count) throws Exception {
        tenant("bench-rollbacks", 1);
        register("bench-bad", "1.0.0", SamplePlugins.failing());
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = deployWhenFree("bench-rollbacks", "bench-bad", "1.0.0", "Production", 4,
                    "\"stages\": \"100\", \"healthCheckInterval\": \"1\", \"failureThreshold\": \"2\"");
            awaitAll(List.of(id), "RolledBack", Duration.ofMinutes(1));
            Instant crossed = jdbc.sql("""
                    SELECT time_stamp FROM domain_event_entry WHERE aggregate_identifier = ?
                      AND payload_type LIKE '%HealthCheckRecorded'
                      AND (convert_from(payload, 'UTF8')::jsonb ->> 'consecutiveFailures')::int >= 2
                    ORDER BY sequence_number LIMIT 1""").param(id).query(String.class).optional()
                    .map(Instant::parse).orElseThrow();
            Instant rolledBack = eventTimes(id, "DeploymentRolledBack").get(0);
            seconds.add(Duration.between(crossed, rolledBack).toMillis() / 1000.0);
        }
        return seconds;
    }

    double commitLatencyMillis() {
        jdbc.sql("CREATE TABLE IF NOT EXISTS bench_commit (id BIGSERIAL PRIMARY KEY, payload BYTEA)").update();
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) jdbc.sql("INSERT INTO bench_commit (payload) VALUES (?)").param(new byte[256]).update();
        double mean = (System.nanoTime() - start) / 200.0 / 1_000_000;
        jdbc.sql("DROP TABLE bench_commit").update();
        return mean;
    }

    private List<Instant> eventTimes(String deploymentId, String type) {
        return jdbc.sql("SELECT time_stamp FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE ? ORDER BY sequence_number")
                .params(deploymentId, "%." + type).query(String.class).list().stream().map(Instant::parse).toList();
    }

    void tenant(String tenantId, int plugins) throws Exception {
        post("/tenants", """
                {"tenantId": "%s", "name": "Benchmark", "namespace": "%s",
                 "quotas": {"maxPlugins": 5, "maxCpu": 1000, "maxMemoryGB": 1000}}""".formatted(tenantId, tenantId));
    }

    private void register(String pluginId, String version, byte[] jar) throws Exception {
        String boundary = "bench" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : Map.of("pluginId", pluginId, "version", version).entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"binary\"; filename=\"p.jar\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jar);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        send(HttpRequest.newBuilder(URI.create(base + "/plugins"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        Thread.sleep(500); // the catalogue projection, which the runtime reads
    }

    private String deploy(String tenantId, String pluginId, String version, String environment, int instances,
                          String config) throws Exception {
        return post("/plugin-deployments", """
                {"pluginId": "%s", "pluginVersion": "%s", "tenantId": "%s", "environment": "%s",
                 "strategy": "Canary", "strategyConfig": {%s}, "totalInstances": %d}"""
                .formatted(pluginId, version, tenantId, environment, config, instances)).get("deploymentId").asText();
    }

    /** The previous deployment's quota goes back to the tenant just after it ends (a policy does it): retry 409. */
    private String deployWhenFree(String tenantId, String pluginId, String version, String environment, int instances,
                                  String config) throws Exception {
        Instant until = Instant.now().plusSeconds(10);
        while (true) {
            try {
                return deploy(tenantId, pluginId, version, environment, instances, config);
            } catch (IllegalStateException busy) {
                if (!busy.getMessage().startsWith("409") || Instant.now().isAfter(until)) throw busy;
                Thread.sleep(100);
            }
        }
    }

    private void awaitAll(List<String> ids, String status, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        List<String> waiting = new ArrayList<>(ids);
        while (!waiting.isEmpty()) {
            if (Instant.now().isAfter(until)) throw new IllegalStateException(waiting.size() + " deployments not " + status);
            Thread.sleep(500);
            waiting.removeIf(id -> {
                try {
                    return get("/plugin-deployments/" + id).path("status").asText().equals(status);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private JsonNode post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
