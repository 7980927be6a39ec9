package io.hotswap.ops.bench;

import ch.qos.logback.classic.Level;
import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.ops.support.OtlpReceiver;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hotswap.ops.bench.BenchTable.mark;

/**
 * What tracing costs the server per API request: the packaged server jar twice, side by side, each on a fresh
 * database of the machine's PostgreSQL, one with {@code TELEMETRY_JAEGER_ENABLED=false} (the default), the other with
 * {@code true} and {@code TELEMETRY_JAEGER_ENDPOINT} at an OTLP receiver in this JVM (every request traced and
 * exported). Both take the same requests at the same time, from {@code bench.clients} clients each, so whatever else
 * the machine does weighs on both alike: a warm-up, then {@code bench.requests} {@code GET /api/v1/plugins/{id}}
 * (a query), then as many {@code POST /api/v1/plugins/{id}/versions/1.0.0/status} (a command, an event, the
 * projections that handle it). Measured: each server process's CPU time (/proc/&lt;pid&gt;/stat, user + system, less
 * its JIT compiler threads': compiling went on for minutes and made rounds differ by ten points) from the first request of a phase until {@code bench.settleSeconds} after the last answer (its events handled, its spans
 * exported), divided by the requests; and the same less what the servers do in the background in as long (deadline
 * polling, processors: the mean of both servers' idle CPU, measured just before), which is the same work with tracing
 * on or off. Goal: tracing adds under 10 % to the latter. Run from the repository root (the first command builds the jar it launches):
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; mvn -B -q -pl ops -am test -Dtest=TracingBenchmark
 * </pre>
 * The phases run {@code bench.rounds} times over; the goal is judged on the median round. Options as
 * {@code -Dbench.requests=3000 -Dbench.rounds=3 -Dbench.warmUpRequests=6000 -Dbench.clients=4 -Dbench.settleSeconds=6
 * -Dbench.sampling=1.0}.
 * Not part of {@code mvn test}: surefire picks up {@code *Test} classes only.
 */
class TracingBenchmark {

    private static final int REQUESTS = Integer.getInteger("bench.requests", 3000);
    /** Half GETs, half POSTs, unmeasured: on 2 cores the JIT compiler keeps working for minutes after start. */
    private static final int WARM_UP_REQUESTS = Integer.getInteger("bench.warmUpRequests", 6000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    /** Past the exporter's 5 s schedule and the processors' catching up with the last events. */
    private static final int SETTLE_SECONDS = Integer.getInteger("bench.settleSeconds", 6);
    /** The traced server's management.tracing.sampling.probability; the server's own default traces every request. */
    private static final String SAMPLING = System.getProperty("bench.sampling", "1.0");
    private static final int IDLE_SECONDS = 20;
    /** GET and POST phases, one after the other, this many times over: single phases differed by ten points and more. */
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private static final int PLUGINS = 50;

    private final BenchTable table = new BenchTable();

    /** The request numbered {@code i} of a kind, to one server. */
    private interface Request {
        BenchApi.Answer send(BenchApi api, int i) throws Exception;
    }

    /** CPU milliseconds per request of one phase, tracing off and on, and how long the phase took. */
    private record Phase(double offMs, double onMs, double seconds) {
    }

    private record Server(ServerJar jar, BenchApi api) {
        double cpuSeconds() throws Exception {
            return ServerJar.cpuSecondsLessJitCompiler(jar.process.pid());
        }
    }

    @Test
    void measure() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Path jar = ServerJar.jar();
        List<ServerJar> started = new ArrayList<>();
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            Server off = start(jar, Map.of("TELEMETRY_JAEGER_ENABLED", "false"), started);
            Server on = start(jar, Map.of("TELEMETRY_JAEGER_ENABLED", "true", "TELEMETRY_JAEGER_ENDPOINT", receiver.endpoint(),
                    "MANAGEMENT_TRACING_SAMPLING_PROBABILITY", SAMPLING), started);
            table.row("start-up, both at once (process start to /health 200), tracing off / on", "%.1f / %.1f s".formatted(
                    off.jar.awaitHealthy(Duration.ofMinutes(5)).toMillis() / 1000.0,
                    on.jar.awaitHealthy(Duration.ofMinutes(5)).toMillis() / 1000.0), "reported");
            for (Server server : List.of(off, on)) {
                for (int p = 0; p < PLUGINS; p++) server.api.register(plugin(p), "1.0.0", plugin(p).getBytes()).expect(201);
            }
            Request get = (api, i) -> api.get("/api/v1/plugins/" + plugin(i % PLUGINS));
            // each plugin's status goes back and forth along one sequence of numbers, so every POST is a change (an event)
            Request post = (api, i) -> api.postJson("/api/v1/plugins/" + plugin(i % PLUGINS) + "/versions/1.0.0/status",
                    "{\"status\": \"%s\"}".formatted((i / PLUGINS) % 2 == 0 ? "Deprecated" : "Active"));
            sendToBoth(off, on, WARM_UP_REQUESTS / 2, get);
            sendToBoth(off, on, WARM_UP_REQUESTS / 2, post);
            Thread.sleep(SETTLE_SECONDS * 1000L);

            double[] idleBefore = {off.cpuSeconds(), on.cpuSeconds()};
            Thread.sleep(IDLE_SECONDS * 1000L);
            double[] idleCores = {(off.cpuSeconds() - idleBefore[0]) / IDLE_SECONDS,
                    (on.cpuSeconds() - idleBefore[1]) / IDLE_SECONDS};
            double background = (idleCores[0] + idleCores[1]) / 2;
            int spansBefore = receiver.spans().size();
            List<Double> getAdded = new ArrayList<>();
            List<Double> postAdded = new ArrayList<>();
            List<Double> bothAdded = new ArrayList<>();
            int spansOfGets = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                int roundStart = receiver.spans().size();
                Phase gets = phase(off, on, get);
                spansOfGets += receiver.spans().size() - roundStart;
                int postsBefore = WARM_UP_REQUESTS / 2 + (round - 1) * REQUESTS;
                Phase posts = phase(off, on, (api, i) -> post.send(api, postsBefore + i));
                Phase both = new Phase((gets.offMs + posts.offMs) / 2, (gets.onMs + posts.onMs) / 2,
                        (gets.seconds + posts.seconds) / 2);
                getAdded.add(overhead("round %d: GET".formatted(round), gets, background));
                postAdded.add(overhead("round %d: POST".formatted(round), posts, background));
                bothAdded.add(overhead("round %d: both".formatted(round), both, background));
            }
            goal("GET /api/v1/plugins/{pluginId} (a query)", getAdded);
            goal("POST /api/v1/plugins/{pluginId}/versions/1.0.0/status (a command, an event, its projections)", postAdded);
            goal("both", bothAdded);
            int spansOfPosts = receiver.spans().size() - spansBefore - spansOfGets;
            table.row("spans exported per request with tracing on: GET / POST", "%.1f / %.1f".formatted(
                    (double) spansOfGets / (ROUNDS * REQUESTS), (double) spansOfPosts / (ROUNDS * REQUESTS)), "reported");
            table.row("server CPU while idle, just before, tracing off / on (their mean is the background above)", "%.3f / %.3f cores"
                    .formatted(idleCores[0], idleCores[1]), "context");
            table.row("machine: cores; load average (1 min) at the end", "%d; %s".formatted(
                    Runtime.getRuntime().availableProcessors(), ServerJar.loadAverage()), "context");
            table.print();
        } catch (Throwable failure) {
            started.forEach(ServerJar::printLogTail);
            throw failure;
        } finally {
            for (ServerJar server : started) server.stop();
            TestDatabase.dropAll();
        }
    }

    /** One round's figures, as context; returns what tracing added, less the background. */
    private double overhead(String requests, Phase phase, double backgroundCores) {
        double backgroundMs = backgroundCores * phase.seconds * 1000 / REQUESTS;
        double offNet = phase.offMs - backgroundMs;
        double onNet = phase.onMs - backgroundMs;
        double added = (onNet - offNet) / offNet;
        table.row("server CPU per request, tracing off / on, %s; %,d requests, %.0f s; less the background"
                        .formatted(requests, REQUESTS, phase.seconds),
                "%.2f / %.2f ms; less %.2f ms: %.2f / %.2f ms: %+.1f %%".formatted(phase.offMs, phase.onMs, backgroundMs,
                        offNet, onNet, added * 100), "context");
        return added;
    }

    /** The goal's row: the median round, so that one round the JIT compiler or a collection fell into does not decide. */
    private void goal(String requests, List<Double> added) {
        List<Double> sorted = added.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        table.row("tracing adds to the server's CPU per request (sampling %s): %s; %d clients a server; median of %d rounds"
                        .formatted(SAMPLING, requests, CLIENTS, ROUNDS),
                "%+.1f %% (rounds: %s) %s".formatted(median * 100, added.stream().map(a -> "%+.1f".formatted(a * 100))
                        .collect(Collectors.joining(", ")), mark(median < 0.10)), "tracing adds < 10 %");
    }

    /** Starts the jar and returns at once, with the client for when it is up. */
    private static Server start(Path jar, Map<String, String> tracing, List<ServerJar> started) throws Exception {
        Path work = Files.createTempDirectory("hotswap-tracing-bench");
        String secret = "bench-" + UUID.randomUUID() + UUID.randomUUID();
        Map<String, String> env = new LinkedHashMap<>(tracing);
        env.put("DB_CONNECTION_STRING", TestDatabase.create());
        env.put("JWT_SECRET", secret);
        env.put("SERVER_PORT", Integer.toString(ServerJar.freePort()));
        env.put("TELEMETRY_PROMETHEUS_PORT", Integer.toString(ServerJar.freePort()));
        env.put("DATA_DIRECTORY", work.resolve("data").toString());
        env.put("RATELIMITING_DEFAULTREQUESTSPERMINUTE", "100000000"); // checked on every request, never refused
        env.put("JAVA_TOOL_OPTIONS", "-XX:-UseDynamicNumberOfCompilerThreads"); // see ServerJar.cpuSecondsLessJitCompiler
        ServerJar server = ServerJar.start(jar, env, work);
        started.add(server);
        String admin = new TokenIssuer(JwtKeys.resolve(secret, work), "plugin-manager", "plugin-api")
                .issue("bench-admin", List.of("platform-admin"), null, Duration.ofHours(2));
        return new Server(server, new BenchApi(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), "http://127.0.0.1:" + env.get("SERVER_PORT"), admin));
    }

    private static String plugin(int number) {
        return "bench-p" + number;
    }

    /**
     * REQUESTS of a kind to both servers at once, and the CPU each server spent per request: from the first request
     * until SETTLE_SECONDS after the last answer.
     */
    private static Phase phase(Server off, Server on, Request request) throws Exception {
        double[] before = {off.cpuSeconds(), on.cpuSeconds()};
        long started = System.nanoTime();
        sendToBoth(off, on, REQUESTS, request);
        Thread.sleep(SETTLE_SECONDS * 1000L);
        return new Phase((off.cpuSeconds() - before[0]) * 1000 / REQUESTS, (on.cpuSeconds() - before[1]) * 1000 / REQUESTS,
                (System.nanoTime() - started) / 1e9);
    }

    /** Requests 0 to count - 1 to each server from CLIENTS threads of its own; fails on any answer but 200. */
    private static void sendToBoth(Server off, Server on, int count, Request request) throws Exception {
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(2 * CLIENTS);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (Server server : List.of(off, on)) {
                AtomicInteger next = new AtomicInteger();
                for (int c = 0; c < CLIENTS; c++) {
                    running.add(clients.submit((Callable<Void>) () -> {
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            BenchApi.Answer answer = request.send(server.api, i);
                            if (answer.status() != 200) failures.add(answer.status() + " " + answer.body());
                        }
                        return null;
                    }));
                }
            }
            for (Future<Void> client : running) client.get();
        } finally {
            clients.shutdown();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " of " + 2 * count + " requests failed, first: " + failures.peek());
        }
    }
}
