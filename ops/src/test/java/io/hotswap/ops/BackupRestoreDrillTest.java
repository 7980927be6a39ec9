package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Commands;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.InProcessS3;
import io.hotswap.ops.support.MainProcess;
import io.hotswap.ops.support.ServerProcess;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guide's Backup and Disaster Recovery, as a drill on the machine's PostgreSQL: a server with tenants, plugins and
 * deployments is dumped by the backup CronJob's own script (k8s/cronjob-backup.yaml), then lost; the dump is restored
 * into a fresh database with {@code gunzip -c … | psql}, the bucket is restored from a copy, and a server on them,
 * its read models rebuilt from the event store, must give the same answers to the same GETs. {@code verify-binaries}
 * then passes on the copy, and names a binary deleted and one altered in it.
 * <p>
 * What is lost is the database and the bucket, not the machine: the restored server gets the same data directory
 * (its JWT secret, the local runtime's plugin processes), so it takes the running plugin instances over as the dump
 * recorded them, as a server on Kubernetes finds its pods again. A restored site without them would start them anew,
 * and those starts are new events: a different answer by design, not a lost one.
 */
class BackupRestoreDrillTest {

    private static final List<String> READ_MODELS = List.of("tenant-view", "plugin-catalogue", "deployment-view", "audit-trail");

    private static final Path CRONJOB = Path.of("..", "k8s", "cronjob-backup.yaml").toAbsolutePath().normalize();
    private static final Pattern TEST_URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)\\?user=([^&]+)");
    private static final String BUCKET = "plugins";
    private static final String ALWAYS = "\"stages\": \"100\", \"healthCheckInterval\": \"1\"";
    private static final String HOLD_STILL = "\"stages\": \"50,100\", \"stageInterval\": \"86400\", "
            + "\"healthCheckInterval\": \"86400\", \"progressDeadline\": \"86400\"";

    @TempDir
    Path work;

    private final List<String> databases = new ArrayList<>();
    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<InProcessS3> sites = new ArrayList<>();
    /** How long each step took, printed at the end: most of the drill is two server starts. */
    private final Map<String, Duration> laps = new LinkedHashMap<>();
    private long lapStart = System.nanoTime();

    @AfterEach
    void cleanUp() throws Exception {
        servers.forEach(ServerProcess::close);
        for (InProcessS3 site : sites) site.stop();
        databases.forEach(TestDatabase::drop);
    }

    @Test
    void aRestoredDumpAndBucketCopyAnswerAsTheOriginalAndVerifyBinariesNamesWhatIsDamaged() throws Exception {
        String install = "install the PostgreSQL client (Debian: apt-get install postgresql-client)";
        System.out.println("drill tools: " + Commands.requireTool("pg_dump", install) + "; "
                + Commands.requireTool("psql", install) + "; " + Commands.requireTool("bash", "install bash"));
        Path data = Files.createDirectories(work.resolve("data"));

        InProcessS3 original = site();
        String originalDatabase = database();
        ServerProcess server = server(data, originalDatabase, "backup-drill-original", original);
        lap("original server start");
        Map<String, String> deploymentIds = populate(server);
        awaitReadModelsAtHead(server);
        lap("populate");
        Map<String, JsonNode> before = answers(server);
        assertThat(before.keySet()).as("the GETs compared").hasSizeGreaterThan(15);
        assertThat(deploymentIds.values()).allSatisfy(id -> assertThat(before).containsKey("/api/v1/plugin-deployments/" + id));

        Path dump = runBackupCronJob(originalDatabase, Files.createDirectories(work.resolve("backups")));
        lap("CronJob pg_dump (" + Files.size(dump) / 1024 + " KB gzipped)");
        server.kill(); // the database and the bucket are lost with it

        String restoredDatabase = database();
        restore(dump, restoredDatabase);
        InProcessS3 restoredSite = site();
        copyBucket(original, restoredSite);
        lap("psql restore and bucket copy");

        ServerProcess restored = server(data, restoredDatabase, "backup-drill-restored", restoredSite);
        lap("restored server start");
        rebuildReadModels(restored);
        lap("read models replayed");
        Map<String, JsonNode> after = answers(restored);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((path, answer) -> assertThat(after.get(path)).as("GET %s", path).isEqualTo(answer));

        Map<String, String> operator = new HashMap<>(restoredSite.environment());
        operator.put("DB_CONNECTION_STRING", connectionString(restoredDatabase));
        Path shell = Files.createDirectories(work.resolve("operator"));
        MainProcess.Result intact = MainProcess.run(shell, operator, "verify-binaries");
        assertThat(intact.exitCode()).as(intact.toString()).isZero();
        assertThat(intact.out()).contains("Checked 4 binaries: 4 intact, 0 missing, 0 changed");
        lap("verify-binaries");

        String deletedKey = storageKey(restoredSite, "ledger", "1.1.0");
        String alteredKey = storageKey(restoredSite, "reports", "1.0.0");
        try (S3Client s3 = restoredSite.client()) {
            s3.deleteObject(r -> r.bucket(BUCKET).key(deletedKey));
            s3.putObject(r -> r.bucket(BUCKET).key(alteredKey), RequestBody.fromString("not the registered jar"));
        }
        // the same settings as options this time, and in this JVM: one JVM start less
        MainProcess.Result damaged = verifyBinariesHere("--ConnectionStrings.PostgreSQL=" + connectionString(restoredDatabase),
                "--Storage.Endpoint=" + restoredSite.endpoint(), "--Storage.AccessKey=" + InProcessS3.ACCESS_KEY,
                "--Storage.SecretKey=" + InProcessS3.SECRET_KEY);
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(1);
        assertThat(damaged.out()).contains("Checked 4 binaries: 2 intact, 1 missing, 1 changed");
        assertThat(damaged.out().lines().filter(line -> line.startsWith("MISSING")).toList()).singleElement()
                .asString().contains("ledger 1.1.0", "key " + deletedKey, "found nothing");
        assertThat(damaged.out().lines().filter(line -> line.startsWith("CHANGED")).toList()).singleElement()
                .asString().contains("reports 1.0.0", "key " + alteredKey,
                        "found sha256 " + sha256("not the registered jar".getBytes()) + " (22 bytes)");
        lap("verify-binaries on the damaged copy");
        System.out.println("drill: compared " + before.size() + " GETs; " + String.join(", ", laps.entrySet().stream()
                .map(lap -> lap.getKey() + " " + lap.getValue().toMillis() + " ms").toList()));
    }

    /** The guide's restore: {@code gunzip -c <dump> | psql <database>}, stopping at the first error. */
    private static void restore(Path dump, String database) throws IOException {
        Commands.Result restore = Commands.run(List.of("bash", "-c",
                "set -o pipefail; gunzip -c \"$0\" | psql -q -v ON_ERROR_STOP=1 \"$1\"", dump.toString(),
                database.substring("jdbc:".length())), Map.of());
        assertThat(restore.exitCode()).as("gunzip -c | psql said:%n%s", restore.output()).isZero();
    }

    private static MainProcess.Result verifyBinariesHere(String... settings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Cli.verifyBinaries(settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new MainProcess.Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void lap(String step) {
        long now = System.nanoTime();
        laps.put(step, Duration.ofNanos(now - lapStart));
        lapStart = now;
    }

    /**
     * Two tenants; plugin {@code ledger} in three versions (one deprecated) and {@code reports}; deployments: one
     * completed, one rolled back by its failing health checks, one held in its first stage. Answers their ids.
     */
    private static Map<String, String> populate(ServerProcess server) {
        Http http = server.http();
        String admin = server.adminToken();
        for (String tenant : List.of("acme", "globex")) {
            Http.Response created = http.postJson("/api/v1/tenants", admin, ServerTest.tenantJson("tenant-" + tenant, tenant));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        byte[] healthy = SamplePlugins.healthy(); // compiled once: the same jar may serve several versions
        register(http, admin, "ledger", "1.0.0", healthy);
        register(http, admin, "ledger", "1.1.0", healthy);
        register(http, admin, "ledger", "2.0.0-rc.1", SamplePlugins.failing());
        register(http, admin, "reports", "1.0.0", healthy);
        assertThat(http.postJson("/api/v1/plugins/ledger/versions/1.1.0/status", admin, "{\"status\": \"Deprecated\"}")
                .status()).isEqualTo(200);

        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("completed", deploy(http, admin, "tenant-acme", "ledger", "1.0.0", "Production", 1, ALWAYS));
        ids.put("rolled back", deploy(http, admin, "tenant-globex", "ledger", "2.0.0-rc.1", "Staging", 1,
                ALWAYS + ", \"failureThreshold\": \"1\""));
        ids.put("in progress", deploy(http, admin, "tenant-globex", "reports", "1.0.0", "Production", 2, HOLD_STILL));
        awaitDeployment(http, admin, ids.get("completed"), "status", "Completed");
        awaitDeployment(http, admin, ids.get("rolled back"), "status", "RolledBack");
        awaitDeployment(http, admin, ids.get("in progress"), "currentStage", "1");
        return ids;
    }

    private static void register(Http http, String admin, String pluginId, String version, byte[] jar) {
        Http.Response registered = http.postMultipart("/api/v1/plugins", admin, Http.Part.text("pluginId", pluginId),
                Http.Part.text("name", pluginId + " plugin"), Http.Part.text("version", version),
                Http.Part.file("binary", pluginId + ".jar", jar));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        // deployments look versions up in the catalogue
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http.get("/api/v1/plugins/" + pluginId + "/versions/" + version, admin).status() == 200);
    }

    private static String deploy(Http http, String admin, String tenantId, String pluginId, String version,
                                 String environment, int instances, String strategyConfig) {
        Http.Response started = http.postJson("/api/v1/plugin-deployments", admin, """
                {"pluginId": "%s", "pluginVersion": "%s", "tenantId": "%s", "environment": "%s",
                 "strategy": "Canary", "strategyConfig": {%s}, "totalInstances": %d}"""
                .formatted(pluginId, version, tenantId, environment, strategyConfig, instances));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return started.json().get("deploymentId").asText();
    }

    private static void awaitDeployment(Http http, String admin, String id, String field, String value) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                http.get("/api/v1/plugin-deployments/" + id, admin).json().get(field).asText().equals(value));
    }

    /**
     * The answers compared: tenants, plugins, each version and the SHA-256 of its binary download, deployments
     * (the list and each one) and the audit trail, by path.
     */
    private static Map<String, JsonNode> answers(ServerProcess server) {
        Http http = server.http();
        String admin = server.adminToken();
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        JsonNode tenants = get(http, admin, "/api/v1/tenants?size=100", answers);
        tenants.get("items").forEach(t -> get(http, admin, "/api/v1/tenants/" + t.get("tenantId").asText(), answers));
        JsonNode plugins = get(http, admin, "/api/v1/plugins?size=100", answers);
        for (JsonNode listed : plugins.get("items")) {
            String plugin = "/api/v1/plugins/" + listed.get("pluginId").asText();
            for (JsonNode version : get(http, admin, plugin, answers).get("versions")) {
                String path = plugin + "/versions/" + version.get("version").asText();
                get(http, admin, path, answers);
                Http.Response binary = http.get(path + "/binary", admin);
                assertThat(binary.status()).as("GET %s/binary", path).isEqualTo(200);
                answers.put(path + "/binary", TextNode.valueOf("sha256 " + sha256(binary.bytes())));
            }
        }
        JsonNode deployments = get(http, admin, "/api/v1/plugin-deployments?size=100", answers);
        deployments.get("items").forEach(d ->
                get(http, admin, "/api/v1/plugin-deployments/" + d.get("deploymentId").asText(), answers));
        for (int page = 0; ; page++) {
            if (get(http, admin, "/api/v1/audit?size=100&page=" + page, answers).get("items").size() < 100) break;
        }
        return answers;
    }

    private static JsonNode get(Http http, String admin, String path, Map<String, JsonNode> answers) {
        Http.Response response = http.get(path, admin);
        assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
        answers.put(path, response.json());
        return response.json();
    }

    /**
     * Runs the CronJob's container command as it is in the manifest, with the database in the guide's connection
     * string form and {@code BACKUP_DIR} for its volume; answers the one dump it wrote.
     */
    @SuppressWarnings("unchecked")
    private static Path runBackupCronJob(String database, Path backups) throws IOException {
        Map<String, Object> cronJob = null;
        try (InputStream manifest = Files.newInputStream(CRONJOB)) {
            for (Object document : new Yaml().loadAll(manifest)) {
                if ("CronJob".equals(((Map<String, Object>) document).get("kind"))) cronJob = (Map<String, Object>) document;
            }
        }
        assertThat(cronJob).as("a CronJob in %s", CRONJOB).isNotNull();
        Map<String, Object> container = ((List<Map<String, Object>>) path(cronJob,
                "spec", "jobTemplate", "spec", "template", "spec", "containers")).get(0);
        List<String> command = new ArrayList<>((List<String>) container.get("command"));
        command.addAll((List<String>) container.get("args"));
        Map<String, String> environment = new HashMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
            if (variable.get("value") != null) environment.put((String) variable.get("name"), (String) variable.get("value"));
        }
        environment.put("DB_CONNECTION_STRING", connectionString(database));
        environment.put("BACKUP_DIR", backups.toString());

        Commands.Result backup = Commands.run(command, environment);
        assertThat(backup.exitCode()).as("the CronJob's script said:%n%s", backup.output()).isZero();
        try (Stream<Path> files = Files.list(backups)) {
            List<Path> dumps = files.toList();
            assertThat(dumps).as(backup.output()).singleElement().asString().matches(".*/pluginmanager-\\d{8}-\\d{6}\\.sql\\.gz");
            return dumps.get(0);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> node, String... keys) {
        Object current = node;
        for (String key : keys) current = ((Map<String, Object>) current).get(key);
        return current;
    }

    /** The guide's form of db-secret's connectionString for a test database. */
    private static String connectionString(String testDatabaseUrl) {
        Matcher url = TEST_URL.matcher(testDatabaseUrl);
        assertThat(url.matches()).as("a test database URL of the form %s: %s", TEST_URL, testDatabaseUrl).isTrue();
        return "Host=%s;Port=%s;Database=%s;Username=%s".formatted(url.group(1), url.group(2), url.group(3), url.group(4));
    }

    /** The bucket copied object by object over S3, as {@code mc mirror} would. */
    private static void copyBucket(InProcessS3 from, InProcessS3 to) throws IOException {
        try (S3Client source = from.client(); S3Client target = to.client()) {
            target.createBucket(r -> r.bucket(BUCKET));
            for (String key : from.keys(BUCKET)) {
                try (var object = source.getObject(r -> r.bucket(BUCKET).key(key))) {
                    GetObjectResponse head = object.response();
                    target.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromInputStream(object, head.contentLength()));
                }
            }
            assertThat(to.keys(BUCKET)).isEqualTo(from.keys(BUCKET)).isNotEmpty();
        }
    }

    /** The one object of a version: S3 keys are {@code <pluginId>/<version>/<upload id>.bin}. */
    private static String storageKey(InProcessS3 site, String pluginId, String version) {
        List<String> keys = site.keys(BUCKET).stream().filter(key -> key.startsWith(pluginId + "/" + version + "/")).toList();
        assertThat(keys).as("the objects of %s %s", pluginId, version).hasSize(1);
        return keys.get(0);
    }

    /**
     * Every read model replayed from the event store (the policies GET /projections lists too are not replayable);
     * waits until each reached the store's head again.
     */
    private static void rebuildReadModels(ServerProcess server) {
        Http http = server.http();
        String admin = server.adminToken();
        for (String name : READ_MODELS) {
            Http.Response replay = http.post("/api/v1/projections/" + name + "/replay", admin, null, "");
            assertThat(replay.status()).as("replay of %s: %s", name, replay).isEqualTo(202);
        }
        awaitReadModelsAtHead(server);
    }

    /**
     * Waits until every read model is at the store's head and the head has stood still for a second, so that no
     * event a policy sends in reaction (a quota released after a rollback) is still on its way.
     */
    private static void awaitReadModelsAtHead(ServerProcess server) {
        Http http = server.http();
        String admin = server.adminToken();
        AtomicLong lastHead = new AtomicLong(Long.MIN_VALUE);
        AtomicLong headSince = new AtomicLong();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode statuses = http.get("/api/v1/projections", admin).json();
            long head = statuses.get(0).get("head").asLong();
            if (lastHead.getAndSet(head) != head) headSince.set(System.nanoTime());
            for (JsonNode status : statuses) {
                assertThat(status.get("replaying").asBoolean()).as(status.toString()).isFalse();
                assertThat(status.get("position").asLong()).as(status.toString()).isEqualTo(head);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - headSince.get())).as("head %d unchanged for", head)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        });
    }

    private InProcessS3 site() throws Exception {
        InProcessS3 site = InProcessS3.start();
        sites.add(site);
        return site;
    }

    private String database() {
        String url = TestDatabase.create();
        databases.add(url);
        return url;
    }

    private ServerProcess server(Path data, String database, String name, InProcessS3 site) throws IOException {
        ServerProcess server = new ServerProcess(data, database, name, site.environment());
        servers.add(server);
        return server.start();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
