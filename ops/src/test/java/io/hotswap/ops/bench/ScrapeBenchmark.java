package io.hotswap.ops.bench;

import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.hotswap.ops.bench.BenchTable.mark;
import static io.hotswap.ops.bench.Percentiles.percentile;

/**
 * The Prometheus scrape of a big installation: the packaged server on its embedded default with 1,000 tenants and
 * 10,000 plugin versions (1,000 plugins of 10 versions) registered over its API, then {@code /actuator/prometheus}
 * scraped one request after another; its time (p50, p99) and size. Rate limiting is off so one principal can fill it.
 * Run from the repository root (the first command builds the jar it launches):
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; mvn -B -q -pl ops -am test -Dtest=ScrapeBenchmark
 * </pre>
 * Options: {@code -Dbench.tenants=1000 -Dbench.plugins=1000 -Dbench.versions=10 -Dbench.scrapes=200}.
 */
class ScrapeBenchmark {

    private static final int TENANTS = Integer.getInteger("bench.tenants", 1000);
    private static final int PLUGINS = Integer.getInteger("bench.plugins", 1000);
    private static final int VERSIONS = Integer.getInteger("bench.versions", 10);
    private static final int SCRAPES = Integer.getInteger("bench.scrapes", 200);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final BenchTable table = new BenchTable();

    @Test
    void measure() throws Exception {
        Path jar = ServerJar.jar();
        Path work = Files.createTempDirectory("hotswap-scrape-bench");
        String secret = "bench-" + UUID.randomUUID() + UUID.randomUUID();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JWT_SECRET", secret);
        env.put("RATELIMITING_ENABLED", "false");
        env.put("MAX_TENANTS", Integer.toString(TENANTS));
        env.put("SERVER_PORT", Integer.toString(ServerJar.freePort()));
        env.put("TELEMETRY_PROMETHEUS_PORT", Integer.toString(ServerJar.freePort()));
        env.put("DATA_DIRECTORY", work.resolve("data").toString());
        ServerJar server = ServerJar.start(jar, env, work);
        try {
            server.awaitHealthy(Duration.ofMinutes(3));
            TokenIssuer tokens = new TokenIssuer(JwtKeys.resolve(secret, work), "plugin-manager", "plugin-api");
            BenchApi api = new BenchApi(http, "http://127.0.0.1:" + env.get("SERVER_PORT"),
                    tokens.issue("bench-admin", List.of("platform-admin"), null, Duration.ofHours(2)));
            long populating = System.nanoTime();
            populate(api);
            String metrics = "http://127.0.0.1:" + env.get("TELEMETRY_PROMETHEUS_PORT") + "/actuator/prometheus";
            awaitProjectionsCaughtUp(metrics);
            System.out.printf("populated %d tenants and %d plugin versions in %.0f s%n", TENANTS, PLUGINS * VERSIONS,
                    (System.nanoTime() - populating) / 1e9);

            for (int i = 0; i < 20; i++) scrape(metrics); // warm up
            List<Double> millis = new ArrayList<>();
            String body = "";
            for (int i = 0; i < SCRAPES; i++) {
                long started = System.nanoTime();
                body = scrape(metrics);
                millis.add((System.nanoTime() - started) / 1e6);
            }
            double p50 = percentile(millis, 50);
            double p99 = percentile(millis, 99);
            double megabytes = body.getBytes(StandardCharsets.UTF_8).length / 1e6;
            long series = body.lines().filter(line -> !line.startsWith("#")).count();
            table.row("scrape of /actuator/prometheus, %d tenants, %d plugin versions: p50 / p99".formatted(TENANTS, PLUGINS * VERSIONS),
                    "%.1f / %.1f ms %s".formatted(p50, p99, mark(p99 < 100)), "p99 < 100 ms");
            table.row("its size (%d samples)".formatted(series), "%.2f MB %s".formatted(megabytes, mark(megabytes < 2)), "< 2 MB");
            table.print();
        } catch (Exception | AssertionError e) {
            server.printLogTail();
            throw e;
        } finally {
            server.stop();
        }
    }

    /** Tenants and plugin versions over the API, eight requests at a time. */
    private static void populate(BenchApi api) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<BenchApi.Answer>> answers = new ArrayList<>();
            for (int t = 0; t < TENANTS; t++) {
                String tenant = "bench-tenant-" + t;
                answers.add(pool.submit(() -> api.postJson("/api/v1/tenants", """
                        {"tenantId": "%s", "name": "Tenant %s", "namespace": "%s",
                         "quotas": {"maxPlugins": 10, "maxCpu": 8.0, "maxMemoryGB": 16}}""".formatted(tenant, tenant, tenant))));
            }
            for (int p = 0; p < PLUGINS; p++) {
                for (int v = 0; v < VERSIONS; v++) {
                    String pluginId = "bench-plugin-" + p;
                    String version = "1." + v + ".0";
                    answers.add(pool.submit(() -> api.register(pluginId, version,
                            (pluginId + "@" + version).getBytes(StandardCharsets.UTF_8))));
                }
            }
            for (Future<BenchApi.Answer> answer : answers) answer.get().expect(201);
        } finally {
            pool.shutdown();
        }
    }

    private void awaitProjectionsCaughtUp(String metrics) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (scrape(metrics).lines().filter(line -> line.startsWith("projection_lag_events{"))
                    .allMatch(line -> line.endsWith(" 0.0"))) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException("the projections did not catch up within 5 minutes");
    }

    private String scrape(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException("scrape answered " + response.statusCode());
        return response.body();
    }
}
