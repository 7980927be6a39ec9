package io.hotswap.ops.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.ops.support.InProcessS3;
import io.hotswap.ops.support.TestRedis;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.hotswap.ops.bench.BenchTable.mark;
import static io.hotswap.ops.bench.Percentiles.percentile;

/**
 * The adapters under load, as production runs them: the packaged server jar as a child process configured by the
 * guide's environment variables alone ({@code DB_CONNECTION_STRING} in its .NET form on the machine's PostgreSQL,
 * {@code REDIS_CONNECTION_STRING} on the machine's Redis, {@code STORAGE_*} on an in-process S3Proxy,
 * {@code KAFKA_BOOTSTRAP_SERVERS} on an in-process KRaft broker, {@code JWT_SECRET}), measured over its API:
 * <ol>
 *   <li>a 50 MB plugin upload: MB/s, and the child's VmRSS sampled during it against the value just before;</li>
 *   <li>Kafka publication lag at 200 events/s (plugin-version status changes through the API, 200 principals so the
 *   guide's 100 requests a minute holds): consumer receipt time minus the event's timestamp in the envelope, beside
 *   B5 (a producer with the server's settings on the same broker);</li>
 *   <li>the rate-limit check with Redis ({@code hotswap_ratelimit_check_seconds} from the server's Prometheus
 *   endpoint) at 50 requests/s and during the 200/s load, beside a Redis PING round trip before and during it.</li>
 * </ol>
 * Run from the repository root (the first command builds the jar it launches):
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; mvn -B -q -pl ops -am test -Dtest=AdapterBenchmark
 * </pre>
 * Options as {@code -Dbench.uploadMB=50 -Dbench.rate=200 -Dbench.warmUpSeconds=60 -Dbench.seconds=30 -Dbench.lightRate=50 -Dbench.plugins=250
 * -Dbench.principals=200}. Not part of {@code mvn test}: surefire
 * picks up {@code *Test} classes only.
 */
class AdapterBenchmark {

    private static final String TOPIC = "bench.plugin-manager.events";
    private static final String BASELINE_TOPIC = "bench.baseline";
    private static final int UPLOAD_MB = Integer.getInteger("bench.uploadMB", 50);
    private static final int RATE = Integer.getInteger("bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int LIGHT_RATE = Integer.getInteger("bench.lightRate", 50);
    private static final int LIGHT_SECONDS = 30;
    /**
     * The main load before anything is measured. For its first 30 s or so the server's C2 compiler takes half a core,
     * so without it the rate-limit check's tail measured the JIT rather than the check.
     */
    private static final int WARM_UP_SECONDS = Integer.getInteger("bench.warmUpSeconds", 60);
    /** Each plugin aggregate gets about RATE * SECONDS / PLUGINS events: few enough that loading one stays cheap. */
    private static final int PLUGINS = Integer.getInteger("bench.plugins", 250);
    /** Each principal sends RATE / PRINCIPALS requests a second: 60 a minute, under the guide's 100. */
    private static final int PRINCIPALS = Integer.getInteger("bench.principals", 200);
    private static final String POSTGRES = System.getenv().getOrDefault("HOTSWAP_TEST_POSTGRES",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final String REDIS = TestRedis.ADDRESS;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final BenchTable table = new BenchTable();

    private record Received(Instant at, long recordTimestamp, JsonNode envelope, int bytes) {
    }

    @Test
    void measure() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Path jar = ServerJar.jar();
        Path work = Files.createTempDirectory("hotswap-adapter-bench");
        String database = "hotswap_bench_" + ProcessHandle.current().pid();
        String secret = "bench-" + UUID.randomUUID() + UUID.randomUUID();
        InProcessS3 s3 = InProcessS3.start();
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 3, TOPIC, BASELINE_TOPIC);
        kafka.afterPropertiesSet();
        adminSql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", "CREATE DATABASE " + database);
        ServerJar server = null;
        try {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DB_CONNECTION_STRING", dotNetConnectionString(database));
            env.put("REDIS_CONNECTION_STRING", REDIS);
            env.put("STORAGE_ENDPOINT", s3.endpoint());
            env.put("STORAGE_ACCESS_KEY", InProcessS3.ACCESS_KEY);
            env.put("STORAGE_SECRET_KEY", InProcessS3.SECRET_KEY);
            env.put("JWT_SECRET", secret);
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString());
            env.put("KAFKA_TOPIC", TOPIC);
            env.put("SERVER_PORT", Integer.toString(ServerJar.freePort()));
            env.put("TELEMETRY_PROMETHEUS_PORT", Integer.toString(ServerJar.freePort()));
            env.put("DATA_DIRECTORY", work.resolve("data").toString());
            server = ServerJar.start(jar, env, work);
            Duration startUp = server.awaitHealthy(Duration.ofMinutes(3));
            long idleRssKb = server.rssKb();

            TokenIssuer tokens = new TokenIssuer(JwtKeys.resolve(secret, work), "plugin-manager", "plugin-api");
            String admin = tokens.issue("bench-admin", List.of("platform-admin"), null, Duration.ofHours(2));
            BenchApi api = new BenchApi(http, "http://127.0.0.1:" + env.get("SERVER_PORT"), admin);
            String loadBefore = ServerJar.loadAverage();
            table.row("start-up (process start to /health 200); resident memory when ready",
                    "%.1f s; %d MB".formatted(startUp.toMillis() / 1000.0, idleRssKb / 1024), "reported");

            upload(api, server, 1);
            upload(api, server, 2);

            List<String> principals = new ArrayList<>();
            for (int i = 0; i < PRINCIPALS; i++) {
                principals.add(tokens.issue("bench-load-" + i, List.of("plugin-publisher"), null, Duration.ofHours(2)));
            }
            registerSmallPlugins(api, principals);
            Receiver receiver = new Receiver(kafka.getBrokersAsString());
            Thread receiving = new Thread(receiver, "bench-kafka-receiver");
            receiving.start();
            receiver.ready.await(30, TimeUnit.SECONDS);
            Load load = new Load(api, principals);

            Instant warmUpStart = Instant.now();
            load.run(RATE, WARM_UP_SECONDS); // lets the JIT compile the path, and shows the envelope's size
            List<Received> warm = receiver.awaitStatusChanges(warmUpStart, 1, Duration.ofSeconds(30));
            int recordBytes = (int) warm.stream().mapToInt(Received::bytes).average().orElse(400);
            ProducerBaseline b5 = producerBaseline(kafka.getBrokersAsString(), recordBytes);
            table.row("B5: producer with the server's settings (acks=all, idempotent, linger 5 ms), %d-byte records, same broker: ack latency p50 / p99 at %d/s; throughput"
                    .formatted(recordBytes, RATE), "%.1f / %.1f ms; %,.0f records/s".formatted(b5.p50Ms, b5.p99Ms, b5.perSecond), "baseline");
            List<Double> ping = redisPingMillis(2000);
            table.row("baseline: Redis PING round trip from the harness p50 / p99 (2,000 sequential)",
                    "%.2f / %.2f ms".formatted(percentile(ping, 50), percentile(ping, 99)), "baseline");

            // the rate-limit check at a load the machine carries with room to spare (the main load below saturates
            // 2 cores), from the histogram buckets' growth during this phase alone
            String managementPort = env.get("TELEMETRY_PROMETHEUS_PORT");
            Map<Double, Double> bucketsBefore = api.buckets(managementPort, "hotswap_ratelimit_check_seconds", "redis");
            load.run(LIGHT_RATE, LIGHT_SECONDS);
            Map<Double, Double> bucketsAfter = api.buckets(managementPort, "hotswap_ratelimit_check_seconds", "redis");
            double lightWithin = shareWithin(bucketsBefore, bucketsAfter, 0.005);
            table.row("rate-limit check with Redis at %d requests/s for %d s (hotswap_ratelimit_check_seconds_bucket growth): checks within 5 ms; p99 at most"
                            .formatted(LIGHT_RATE, LIGHT_SECONDS), "%.2f%%; %.2f ms %s".formatted(lightWithin * 100,
                            percentileFromBuckets(bucketsBefore, bucketsAfter, 0.99) * 1000, mark(lightWithin >= 0.99)),
                    "p99 < 5 ms, i.e. >= 99% within 5 ms");

            load.clear();
            PingDuringLoad pingDuringLoad = new PingDuringLoad();
            pingDuringLoad.start();
            double serverCpuBefore = ServerJar.cpuSeconds(server.process.pid());
            double harnessCpuBefore = ServerJar.cpuSeconds(ProcessHandle.current().pid());
            Map<Double, Double> bucketsAtStart = api.buckets(managementPort, "hotswap_ratelimit_check_seconds", "redis");
            Instant loadStart = Instant.now();
            load.run(RATE, SECONDS);
            Instant loadEnd = Instant.now();
            double serverCpu = ServerJar.cpuSeconds(server.process.pid()) - serverCpuBefore;
            double harnessCpu = ServerJar.cpuSeconds(ProcessHandle.current().pid()) - harnessCpuBefore;
            pingDuringLoad.interrupt();
            pingDuringLoad.join();
            Map<Double, Double> bucketsAtEnd = api.buckets(managementPort, "hotswap_ratelimit_check_seconds", "redis");
            long counters = redisCount("hotswap:rate:bench-*");
            int stored = (int) scalar(database, "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%.PluginVersionStatusChanged'"
                    + " AND time_stamp >= '" + loadStart + "'");
            List<Received> measured = receiver.awaitStatusChanges(loadStart, stored, Duration.ofSeconds(120));
            receiver.running = false;
            receiving.join(5_000);

            List<Double> lag = measured.stream()
                    .map(r -> Duration.between(Instant.parse(r.envelope.get("timestamp").asText()), r.at).toNanos() / 1e6).toList();
            double lagP99 = percentile(lag, 99);
            double seconds = Duration.between(loadStart, loadEnd).toMillis() / 1000.0;
            table.row("Kafka publication lag (event timestamp in the envelope to consumer receipt) p50 / p99 / max; %,d of %,d stored events received, API driven at %.0f requests/s for %.0f s"
                            .formatted(measured.size(), stored, load.sent() / seconds, seconds),
                    "%.0f / %.0f / %.0f ms %s".formatted(percentile(lag, 50), lagP99, percentile(lag, 100), mark(lagP99 < 1000)),
                    "p99 < 1 s at 200 events/s");
            List<Double> toProducer = measured.stream().map(r -> (r.recordTimestamp
                    - Instant.parse(r.envelope.get("timestamp").asText()).toEpochMilli()) * 1.0).toList();
            List<Double> throughBroker = measured.stream().map(r -> (r.at.toEpochMilli() - r.recordTimestamp) * 1.0).toList();
            table.row("of which: event timestamp to the server's producer.send (record timestamp) p50 / p99; send to consumer receipt p50 / p99",
                    "%.0f / %.0f ms; %.0f / %.0f ms".formatted(percentile(toProducer, 50), percentile(toProducer, 99),
                            percentile(throughBroker, 50), percentile(throughBroker, 99)), "reported");
            table.row("G6: publication lag p99 / B5 ack latency p99", "%.1f %s".formatted(lagP99 / b5.p99Ms, mark(lagP99 / b5.p99Ms <= 3)), "<= 3");
            List<Double> apiLatency = load.latenciesMs();
            table.row("API: POST .../versions/1.0.0/status latency p50 / p99 during the load; non-2xx answers",
                    "%.0f / %.0f ms; %d (%s)".formatted(percentile(apiLatency, 50), percentile(apiLatency, 99),
                            load.failed(), load.failures()), "reported; 0 failures");
            table.row("baseline under the same load: Redis PING round trip from the harness every 5 ms during it, p50 / p99 (%,d)"
                    .formatted(pingDuringLoad.millis.size()), "%.2f / %.2f ms".formatted(percentile(pingDuringLoad.millis, 50),
                    percentile(pingDuringLoad.millis, 99)), "baseline");
            double loadWithin = shareWithin(bucketsAtStart, bucketsAtEnd, 0.005);
            table.row("rate-limit check with Redis during the %d/s load (hotswap_ratelimit_check_seconds_bucket growth): checks within 5 ms; p50 / p99 at most, %,.0f checks"
                            .formatted(RATE, bucketsAtEnd.get(Double.POSITIVE_INFINITY) - bucketsAtStart.get(Double.POSITIVE_INFINITY)),
                    "%.2f%%; %.2f / %.2f ms %s".formatted(loadWithin * 100, percentileFromBuckets(bucketsAtStart, bucketsAtEnd, 0.5) * 1000,
                            percentileFromBuckets(bucketsAtStart, bucketsAtEnd, 0.99) * 1000, mark(loadWithin >= 0.99)),
                    "p99 < 5 ms, i.e. >= 99% within 5 ms");

            JsonNode health = api.health();
            long events = scalar(database, "SELECT count(*) FROM domain_event_entry");
            int objects = s3.keys("plugins").size();
            table.row("configured by environment variables alone (" + String.join(", ", env.keySet()) + "; no arguments, no files)",
                    "/health %s (%s); in use: %,d events in PostgreSQL, %d rate counters in Redis, %d objects in S3, %,d events read from Kafka"
                            .formatted(health.path("status").asText(), components(health), events, counters, objects,
                                    receiver.count()),
                    "all four in use " + mark(health.path("status").asText().equals("UP") && events > 0 && counters > 0
                            && objects > 0 && receiver.count() > 0));
            table.row("machine: cores; load average (1 min) after start-up / at the end; CPU used during the load by the server / by this harness (S3Proxy, Kafka broker, load, consumer)",
                    "%d; %s / %s; %.2f / %.2f cores (server %.1f ms CPU per request)".formatted(
                            Runtime.getRuntime().availableProcessors(), loadBefore, ServerJar.loadAverage(), serverCpu / seconds,
                            harnessCpu / seconds, serverCpu * 1000 / load.sent()), "context");
            table.print();
        } catch (Throwable failure) {
            if (server != null) server.printLogTail();
            throw failure;
        } finally {
            if (server != null) server.stop();
            adminSql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            kafka.destroy();
            s3.stop();
        }
    }

    /** The share of observations at or under {@code edge}, which must be one of the histogram's bucket edges. */
    private static double shareWithin(Map<Double, Double> before, Map<Double, Double> after, double edge) {
        double total = after.get(Double.POSITIVE_INFINITY) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        return (after.get(edge) - before.getOrDefault(edge, 0.0)) / total;
    }

    /** The smallest bucket bound under which {@code quantile} of what was recorded between the two readings fell. */
    private static double percentileFromBuckets(Map<Double, Double> before, Map<Double, Double> after, double quantile) {
        double total = after.get(Double.POSITIVE_INFINITY) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            if (bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0) >= quantile * total) return bucket.getKey();
        }
        return Double.POSITIVE_INFINITY;
    }

    /** One upload of UPLOAD_MB random bytes, with the child's VmRSS sampled every 10 ms while it runs. */
    private void upload(BenchApi api, ServerJar server, int number) throws Exception {
        byte[] binary = new byte[UPLOAD_MB * 1024 * 1024];
        new Random(number).nextBytes(binary);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary));
        if (number == 1) api.register("bench-warm-up", "1.0.0", new byte[1024 * 1024]).expect(201);
        long before = server.rssKb();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(server.rssKb(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long started = System.nanoTime();
        BenchApi.Answer answer = api.register("bench-big", number + ".0.0", binary);
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        sampler.join();
        answer.expect(201);
        if (!answer.json().path("sha256").asText().equals(sha256)) throw new IllegalStateException("stored another binary");
        double perSecond = UPLOAD_MB / seconds;
        long riseMb = (peak.get() - before) / 1024;
        table.row("%d MB plugin upload #%d over the API into S3 (multipart), throughput".formatted(UPLOAD_MB, number),
                "%.1f MB/s (%.2f s) %s".formatted(perSecond, seconds, mark(perSecond >= 30)), ">= 30 MB/s");
        table.row("upload #%d: server resident memory, peak during minus just before".formatted(number),
                "%d MB (%d -> %d MB) %s".formatted(riseMb, before / 1024, peak.get() / 1024, mark(riseMb < 100)), "< 100 MB");
    }

    /** Spread over the load's principals: one would run into the guide's 100 requests a minute. */
    private static void registerSmallPlugins(BenchApi api, List<String> principals) throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<BenchApi.Answer>> answers = new ArrayList<>();
            for (int p = 0; p < PLUGINS; p++) {
                String pluginId = "bench-p" + p;
                String token = principals.get(p % principals.size());
                answers.add(pool.submit(() -> api.register(pluginId, "1.0.0", pluginId.getBytes(StandardCharsets.UTF_8), token)));
            }
            for (var answer : answers) answer.get().expect(201);
        } finally {
            pool.shutdown();
        }
    }

    /** Sends plugin-version status changes (one event each) at a steady rate, round-robin over plugins and principals. */
    private static final class Load {
        private final BenchApi api;
        private final List<String> principals;
        private final AtomicLong next = new AtomicLong();
        private final ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicLong sent = new AtomicLong();

        Load(BenchApi api, List<String> principals) {
            this.api = api;
            this.principals = principals;
        }

        void run(int perSecond, int seconds) throws InterruptedException {
            int total = perSecond * seconds;
            CountDownLatch answered = new CountDownLatch(total);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            AtomicLong left = new AtomicLong(total);
            ticker.scheduleAtFixedRate(() -> {
                if (left.getAndDecrement() <= 0) return;
                long i = next.getAndIncrement();
                int plugin = (int) (i % PLUGINS);
                String status = (i / PLUGINS) % 2 == 0 ? "Deprecated" : "Active";
                long started = System.nanoTime();
                sent.incrementAndGet();
                api.changeStatusAsync("bench-p" + plugin, status, principals.get((int) (i % principals.size())))
                        .whenComplete((response, error) -> {
                            if (error != null) failures.add((error.getCause() != null ? error.getCause() : error).toString());
                            else if (response.statusCode() != 200) failures.add(Integer.toString(response.statusCode()));
                            else latencies.add((System.nanoTime() - started) / 1e6);
                            answered.countDown();
                        });
            }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
            boolean done = answered.await(seconds + 120L, TimeUnit.SECONDS);
            ticker.shutdownNow();
            if (!done) throw new IllegalStateException("the server did not answer " + answered.getCount() + " requests");
        }

        void clear() {
            latencies.clear();
            failures.clear();
            sent.set(0);
        }

        long sent() {
            return sent.get();
        }

        int failed() {
            return failures.size();
        }

        String failures() {
            Map<String, Long> byKind = new LinkedHashMap<>();
            failures.forEach(f -> byKind.merge(f, 1L, Long::sum));
            return byKind.isEmpty() ? "none" : byKind.toString();
        }

        List<Double> latenciesMs() {
            return List.copyOf(latencies);
        }
    }

    /** Reads the event topic from its end, noting when each record arrived. */
    private static final class Receiver implements Runnable {
        private final String brokers;
        private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
        final CountDownLatch ready = new CountDownLatch(1);
        volatile boolean running = true;

        Receiver(String brokers) {
            this.brokers = brokers;
        }

        @Override
        public void run() {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                        .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                ready.countDown();
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    Instant at = Instant.now();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        received.add(new Received(at, record.timestamp(), JSON.readTree(record.value()), record.value().length));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        int count() {
            return received.size();
        }

        /** The status changes stamped at or after {@code from}, once {@code expected} of them arrived (or time is up). */
        List<Received> awaitStatusChanges(Instant from, int expected, Duration timeout) throws InterruptedException {
            Instant until = Instant.now().plus(timeout);
            while (true) {
                List<Received> changes = received.stream()
                        .filter(r -> r.envelope.path("type").asText().equals("PluginVersionStatusChanged"))
                        .filter(r -> !Instant.parse(r.envelope.get("timestamp").asText()).isBefore(from))
                        .toList();
                if (changes.size() >= expected || Instant.now().isAfter(until)) return changes;
                Thread.sleep(200);
            }
        }
    }

    private record ProducerBaseline(double p50Ms, double p99Ms, double perSecond) {
    }

    /** B5: the server's producer settings on the same broker, paced at RATE for the latency, then flat out. */
    private static ProducerBaseline producerBaseline(String brokers, int recordBytes) throws Exception {
        Map<String, Object> settings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        byte[] value = new byte[recordBytes];
        new Random(5).nextBytes(value);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(BASELINE_TOPIC, "warm", value)).get();
            int paced = RATE * 5;
            ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            for (int i = 0; i < paced; i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long wait = due - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                long sentAt = System.nanoTime();
                producer.send(new ProducerRecord<>(BASELINE_TOPIC, "key-" + i, value),
                        (metadata, error) -> latencies.add((System.nanoTime() - sentAt) / 1e6));
            }
            producer.flush();
            int flatOut = 20_000;
            long flatStart = System.nanoTime();
            for (int i = 0; i < flatOut; i++) producer.send(new ProducerRecord<>(BASELINE_TOPIC, "key-" + i, value));
            producer.flush();
            double perSecond = flatOut / ((System.nanoTime() - flatStart) / 1e9);
            List<Double> sorted = List.copyOf(latencies);
            return new ProducerBaseline(percentile(sorted, 50), percentile(sorted, 99), perSecond);
        }
    }

    private static List<Double> redisPingMillis(int count) throws IOException {
        List<Double> millis = new ArrayList<>();
        try (Socket socket = redisSocket()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] pong = new byte[7]; // +PONG\r\n
            for (int i = 0; i < count; i++) {
                long started = System.nanoTime();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (in.readNBytes(pong, 0, pong.length) != pong.length) throw new IOException("Redis closed the connection");
                millis.add((System.nanoTime() - started) / 1e6);
            }
        }
        return millis;
    }

    /** Redis round trips from outside the server while it is under load: what the machine allows the limiter. */
    private static final class PingDuringLoad extends Thread {
        final List<Double> millis = Collections.synchronizedList(new ArrayList<>());

        PingDuringLoad() {
            super("bench-redis-ping");
        }

        @Override
        public void run() {
            try (Socket socket = redisSocket()) {
                byte[] pong = new byte[7];
                while (!isInterrupted()) {
                    long started = System.nanoTime();
                    socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().readNBytes(pong, 0, pong.length);
                    millis.add((System.nanoTime() - started) / 1e6);
                    Thread.sleep(5);
                }
            } catch (InterruptedException done) {
                // the load is over
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** How many keys match {@code pattern}, counted by Redis itself. */
    private static long redisCount(String pattern) throws IOException {
        String script = "return #redis.call('keys', ARGV[1])";
        String command = "*4\r\n$4\r\nEVAL\r\n$" + script.length() + "\r\n" + script + "\r\n$1\r\n0\r\n$"
                + pattern.length() + "\r\n" + pattern + "\r\n";
        try (Socket socket = redisSocket()) {
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            StringBuilder reply = new StringBuilder();
            InputStream in = socket.getInputStream();
            for (int c = in.read(); c != '\r' && c != -1; c = in.read()) reply.append((char) c);
            if (reply.charAt(0) != ':') throw new IOException("Redis answered " + reply);
            return Long.parseLong(reply.substring(1));
        }
    }

    private static Socket redisSocket() throws IOException {
        String[] hostPort = REDIS.split(",")[0].split(":");
        Socket socket = new Socket(hostPort[0], hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 6379);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** The guide's form: {@code Host=...;Database=...;Username=...;Password=...}, on the PostgreSQL the tests use. */
    private static String dotNetConnectionString(String database) {
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/[^?]*(?:\\?(.*))?").matcher(POSTGRES);
        if (!url.matches()) throw new IllegalStateException("cannot read " + POSTGRES);
        Map<String, String> params = new LinkedHashMap<>();
        if (url.group(3) != null) {
            for (String pair : url.group(3).split("&")) params.put(pair.split("=", 2)[0], pair.split("=", 2)[1]);
        }
        return "Host=%s;Port=%s;Database=%s;Username=%s;Password=%s".formatted(url.group(1),
                url.group(2) == null ? "5432" : url.group(2), database, params.getOrDefault("user", "postgres"),
                params.getOrDefault("password", "unused-with-trust"));
    }

    private static void adminSql(String... statements) throws Exception {
        try (Connection admin = DriverManager.getConnection(POSTGRES)) {
            for (String statement : statements) admin.createStatement().execute(statement);
        }
    }

    private static long scalar(String database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(POSTGRES.replaceFirst("/postgres(\\?|$)", "/" + database + "$1"));
             ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String components(JsonNode health) {
        List<String> parts = new ArrayList<>();
        health.path("components").fields().forEachRemaining(c -> parts.add(c.getKey() + " " + c.getValue().path("status").asText()));
        return String.join(", ", parts);
    }

    /** The server's API as the benchmark uses it. */
}
