package io.hotswap.ops.bench;

import ch.qos.logback.classic.Level;
import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.OtlpReceiver;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static io.hotswap.ops.bench.BenchTable.mark;

/**
 * What tracing costs the server per API request: the packaged server jar run twice on a fresh database of the
 * machine's PostgreSQL, first with {@code TELEMETRY_JAEGER_ENABLED=false} (the default), then with {@code true} and
 * {@code TELEMETRY_JAEGER_ENDPOINT} at an OTLP receiver in this JVM (every request traced and exported). Each run
 * registers the same plugins, sends the same warm-up, then the same measured requests from {@code bench.clients}
 * clients: {@code bench.requests} {@code GET /api/v1/plugins/{id}} (a query), then as many
 * {@code POST /api/v1/plugins/{id}/versions/1.0.0/status} (a command, an event, the projections that handle it).
 * Measured: the server process's CPU time (/proc/&lt;pid&gt;/stat, user + system) from the first request of a phase
 * until its events have been handled and its spans exported ({@code bench.settleSeconds} after the last answer), less
 * what the server uses idle in as long (measured just before), divided by the requests. Goal: tracing adds under 10 %.
 * Run from the repository root (the first command builds the jar it launches):
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; mvn -B -q -pl ops -am test -Dtest=TracingBenchmark
 * </pre>
 * Options as {@code -Dbench.requests=3000 -Dbench.warmUpRequests=6000 -Dbench.clients=4 -Dbench.settleSeconds=6}.
 * Not part of {@code mvn test}: surefire picks up {@code *Test} classes only.
 */
class TracingBenchmark {

    private static final int REQUESTS = Integer.getInteger("bench.requests", 3000);
    /** Half GETs, half POSTs, unmeasured: on 2 cores the JIT compiler keeps working for about a minute after start. */
    private static final int WARM_UP_REQUESTS = Integer.getInteger("bench.warmUpRequests", 6000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    /** Past the exporter's 5 s schedule and the processors' catching up with the last events. */
    private static final int SETTLE_SECONDS = Integer.getInteger("bench.settleSeconds", 6);
    private static final int IDLE_SECONDS = 10;
    private static final int PLUGINS = 50;

    private final BenchTable table = new BenchTable();

    /** One server's figures: CPU milliseconds per request of each phase, idle CPU, spans exported in each phase. */
    private record Run(double getCpuMs, double postCpuMs, double idleCores, double startUpSeconds, int getSpans,
                       int postSpans) {

        double allCpuMs() {
            return (getCpuMs + postCpuMs) / 2;
        }
    }

    @Test
    void measure() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Path jar = ServerJar.jar();
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            Run off = run(jar, Map.of("TELEMETRY_JAEGER_ENABLED", "false"), receiver);
            Run on = run(jar, Map.of("TELEMETRY_JAEGER_ENABLED", "true", "TELEMETRY_JAEGER_ENDPOINT", receiver.endpoint()),
                    receiver);
            if (off.getSpans + off.postSpans > 0) throw new IllegalStateException("spans arrived with tracing off");
            table.row("start-up (process start to /health 200), tracing off / on", "%.1f / %.1f s"
                    .formatted(off.startUpSeconds, on.startUpSeconds), "reported");
            overhead("GET /api/v1/plugins/{pluginId} (a query)", off.getCpuMs, on.getCpuMs);
            overhead("POST /api/v1/plugins/{pluginId}/versions/1.0.0/status (a command, an event, its projections)",
                    off.postCpuMs, on.postCpuMs);
            overhead("all %,d requests".formatted(2 * REQUESTS), off.allCpuMs(), on.allCpuMs());
            table.row("spans exported per request with tracing on: GET / POST", "%.1f / %.1f".formatted(
                    (double) on.getSpans / REQUESTS, (double) on.postSpans / REQUESTS), "reported");
            table.row("server CPU while idle (subtracted above), tracing off / on", "%.3f / %.3f cores"
                    .formatted(off.idleCores, on.idleCores), "context");
            table.row("machine: cores; load average (1 min) at the end", "%d; %s".formatted(
                    Runtime.getRuntime().availableProcessors(), ServerJar.loadAverage()), "context");
            table.print();
        } finally {
            TestDatabase.dropAll();
        }
    }

    private void overhead(String requests, double offMs, double onMs) {
        double added = (onMs - offMs) / offMs;
        table.row("server CPU per request, tracing off / on: " + requests + ", %,d requests from %d clients"
                        .formatted(REQUESTS, CLIENTS),
                "%.2f / %.2f ms: %+.1f %% %s".formatted(offMs, onMs, added * 100, mark(added < 0.10)), "tracing adds < 10 %");
    }

    private Run run(Path jar, Map<String, String> tracing, OtlpReceiver receiver) throws Exception {
        Path work = Files.createTempDirectory("hotswap-tracing-bench");
        String secret = "bench-" + UUID.randomUUID() + UUID.randomUUID();
        Map<String, String> env = new LinkedHashMap<>(tracing);
        env.put("DB_CONNECTION_STRING", TestDatabase.create());
        env.put("JWT_SECRET", secret);
        env.put("SERVER_PORT", Integer.toString(ServerJar.freePort()));
        env.put("TELEMETRY_PROMETHEUS_PORT", Integer.toString(ServerJar.freePort()));
        env.put("DATA_DIRECTORY", work.resolve("data").toString());
        env.put("RATELIMITING_DEFAULTREQUESTSPERMINUTE", "100000000"); // checked on every request, never refused
        ServerJar server = ServerJar.start(jar, env, work);
        try {
            double startUp = server.awaitHealthy(Duration.ofMinutes(3)).toMillis() / 1000.0;
            String admin = new TokenIssuer(JwtKeys.resolve(secret, work), "plugin-manager", "plugin-api")
                    .issue("bench-admin", List.of("platform-admin"), null, Duration.ofHours(2));
            Http http = new Http(Integer.parseInt(env.get("SERVER_PORT")));
            for (int p = 0; p < PLUGINS; p++) {
                Http.Response registered = ServerTest.registerPlugin(http, admin, plugin(p), "1.0.0", plugin(p).getBytes(), "{}");
                if (registered.status() != 201) throw new IllegalStateException("not registered: " + registered);
            }
            IntFunction<Http.Response> get = i -> http.get("/api/v1/plugins/" + plugin(i % PLUGINS), admin);
            // each plugin's status goes back and forth along one sequence of numbers, so every POST is a change (an event)
            IntFunction<Http.Response> post = i -> http.postJson("/api/v1/plugins/" + plugin(i % PLUGINS)
                    + "/versions/1.0.0/status", admin, "{\"status\": \"%s\"}".formatted((i / PLUGINS) % 2 == 0 ? "Deprecated" : "Active"));
            send(WARM_UP_REQUESTS / 2, get);
            send(WARM_UP_REQUESTS / 2, post);
            Thread.sleep(SETTLE_SECONDS * 1000L);

            double idleBefore = ServerJar.cpuSeconds(server.process.pid());
            Thread.sleep(IDLE_SECONDS * 1000L);
            double idleCores = (ServerJar.cpuSeconds(server.process.pid()) - idleBefore) / IDLE_SECONDS;
            int spansBefore = receiver.spans().size();
            double getCpuMs = cpuMsPerRequest(server, idleCores, get);
            int spansAfterGets = receiver.spans().size();
            double postCpuMs = cpuMsPerRequest(server, idleCores, i -> post.apply(WARM_UP_REQUESTS / 2 + i));
            return new Run(getCpuMs, postCpuMs, idleCores, startUp, spansAfterGets - spansBefore,
                    receiver.spans().size() - spansAfterGets);
        } catch (Throwable failure) {
            server.printLogTail();
            throw failure;
        } finally {
            server.stop();
        }
    }

    private static String plugin(int number) {
        return "bench-p" + number;
    }

    /** REQUESTS of a kind, and the server CPU they cost each: until SETTLE_SECONDS after the last, less idle CPU. */
    private static double cpuMsPerRequest(ServerJar server, double idleCores, IntFunction<Http.Response> request)
            throws Exception {
        double cpuBefore = ServerJar.cpuSeconds(server.process.pid());
        long started = System.nanoTime();
        send(REQUESTS, request);
        Thread.sleep(SETTLE_SECONDS * 1000L);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = ServerJar.cpuSeconds(server.process.pid()) - cpuBefore - idleCores * seconds;
        return cpu * 1000 / REQUESTS;
    }

    /** Requests 0 to count - 1 from CLIENTS threads; fails on any answer but 200 or 201. */
    private static void send(int count, IntFunction<Http.Response> request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        Http.Response response = request.apply(i);
                        if (response.status() != 200 && response.status() != 201) failures.add(response.toString());
                    }
                }));
            }
            for (Future<?> client : running) client.get();
        } finally {
            clients.shutdown();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " of " + count + " requests failed, first: " + failures.peek());
        }
    }
}
