package io.hotswap.ops.deployment;

import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestRedis;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two server instances sharing PostgreSQL and the machine's real Redis ({@code HOTSWAP_TEST_REDIS}), with requests
 * spread over both at the same moment: one active deployment per (tenant, plugin, environment), never more than
 * MaxConcurrentDeployments running across the two, and every request answered 202 or a clear 409, never 500.
 */
class TwoNodeDeploymentTest {

    private static final String SHARED_JWT_SECRET = "a-secret-the-two-instances-share-" + UUID.randomUUID();
    private static final int MAX_CONCURRENT = 2;

    @TempDir
    static Path data;

    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static Http a;
    private static Http b;
    private static String admin;
    private static JdbcClient jdbc;

    @BeforeAll
    static void startTwoNodes() {
        String database = TestDatabase.create();
        first = start("node-a", database, data.resolve("a"));
        second = start("node-b", database, data.resolve("b"));
        a = TestServers.http(first);
        b = TestServers.http(second);
        jdbc = first.getBean(JdbcClient.class);
        admin = TestServers.admin(first);
    }

    @AfterAll
    static void stopNodes() {
        if (second != null) second.close();
        if (first != null) first.close();
    }

    @Test
    void racingStartsOfOneSlotOnBothNodesGiveOne202AndTheRest409NamingIt() throws Exception {
        String tenant = createTenant("tenant-slot");
        register("slot-plugin");
        List<String> started = new ArrayList<>();

        // a new environment each round: whichever node wins, the other node wrote the tenant last
        for (int round = 0; round < 4; round++) {
            String environment = "Round" + round;
            List<Http.Response> responses = concurrently(8, i -> node(i).postJson("/api/v1/plugin-deployments",
                    admin, startBody(tenant, "slot-plugin", environment, "86400", "86400")));

            List<Http.Response> accepted = responses.stream().filter(r -> r.status() == 202).toList();
            assertThat(accepted).as("%s: %s", environment, responses).hasSize(1);
            String winner = accepted.get(0).json().get("deploymentId").asText();
            assertThat(responses).filteredOn(r -> r.status() != 202).allSatisfy(r -> {
                assertThat(r.status()).as(r.toString()).isEqualTo(409);
                assertThat(r.json().get("type").asText()).isEqualTo("urn:hotswap:problem:deployment-in-progress");
                assertThat(r.json().get("activeDeploymentId").asText()).isEqualTo(winner);
            });
            started.add(winner);
        }

        // aborted through alternating nodes: whichever node started a deployment, either one can abort it
        for (int i = 0; i < started.size(); i++) {
            String id = started.get(i);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.get("/api/v1/plugin-deployments/" + id, admin).status() == 200);
            Http.Response aborted = node(i).postJson("/api/v1/plugin-deployments/" + id + "/abort", admin,
                    "{\"reason\": \"make room\"}");
            assertThat(aborted.status()).as(aborted.toString()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> started.stream()
                .allMatch(id -> b.get("/api/v1/plugin-deployments/" + id, admin).json().get("status").asText().equals("Failed")));
    }

    @Test
    void deploymentsStartedOnBothNodesAllRunButNeverMoreThanMaxConcurrentAtOnce() throws Exception {
        String tenant = createTenant("tenant-many");
        register("many-plugin");

        List<Http.Response> responses = concurrently(6, i -> node(i).postJson("/api/v1/plugin-deployments",
                admin, startBody(tenant, "many-plugin", "Env" + i, "1", "1")));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(202));
        List<String> ids = responses.stream().map(r -> r.json().get("deploymentId").asText()).toList();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> ids.stream()
                .map(id -> b.get("/api/v1/plugin-deployments/" + id, admin))
                .allMatch(r -> r.status() == 200 && r.json().get("status").asText().equals("Completed")));
        assertThat(mostRunningAtOnce(ids)).isEqualTo(MAX_CONCURRENT);
    }

    /**
     * Replays these deployments' activations and ends in store order: the most that ever held a slot at once. Store
     * order is causal here: an end commits before the deployment-queue processor sees it and activates the next. Only
     * these: the other test aborts deployments still queued, whose ends have no activation before them.
     */
    private static int mostRunningAtOnce(List<String> deploymentIds) {
        List<String> types = jdbc.sql("""
                SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier IN (:ids) AND payload_type IN
                ('io.hotswap.api.deployment.DeploymentActivated', 'io.hotswap.api.deployment.DeploymentCompleted',
                 'io.hotswap.api.deployment.DeploymentRolledBack', 'io.hotswap.api.deployment.DeploymentFailed')
                ORDER BY global_index""").param("ids", deploymentIds).query(String.class).list();
        int running = 0;
        int most = 0;
        for (String type : types) {
            running += type.endsWith("DeploymentActivated") ? 1 : -1;
            most = Math.max(most, running);
        }
        return most;
    }

    private static Http node(int i) {
        return i % 2 == 0 ? a : b;
    }

    private static String startBody(String tenant, String pluginId, String environment, String stageInterval,
                                    String healthCheckInterval) {
        return """
                {"pluginId": "%s", "pluginVersion": "1.0.0", "tenantId": "%s", "environment": "%s",
                 "strategy": "Canary", "strategyConfig": {"stages": "100", "stageInterval": "%s",
                 "healthCheckInterval": "%s"}, "totalInstances": 1}"""
                .formatted(pluginId, tenant, environment, stageInterval, healthCheckInterval);
    }

    /** Sends {@code n} requests at the same moment and returns their responses in order. */
    private static List<Http.Response> concurrently(int n, IntFunction<Http.Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return request.apply(index);
                }));
            }
            go.countDown();
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> future : futures) responses.add(future.get());
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String createTenant(String tenantId) {
        Http.Response response = a.postJson("/api/v1/tenants", admin, ServerTest.tenantJson(tenantId, tenantId));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return tenantId;
    }

    private static void register(String pluginId) {
        Http.Response response = a.postMultipart("/api/v1/plugins", admin, Http.Part.text("pluginId", pluginId),
                Http.Part.text("version", "1.0.0"), Http.Part.file("binary", pluginId + ".jar", SamplePlugins.healthy()));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    /** Each node has its own data directory; plugin binaries are shared, as S3 is in production. */
    private static ConfigurableApplicationContext start(String name, String database, Path dataDirectory) {
        return TestServers.start("--spring.application.name=" + name,
                "--spring.datasource.url=" + database, "--Data.Directory=" + dataDirectory,
                "--Storage.LocalPath=" + data.resolve("binaries"),
                "--ConnectionStrings.Redis=" + TestRedis.ADDRESS, "--Authentication.JwtSecret=" + SHARED_JWT_SECRET,
                "--RateLimiting.DefaultRequestsPerMinute=1000000", "--Database.PoolSize=8",
                "--Deployment.MaxConcurrentDeployments=" + MAX_CONCURRENT);
    }
}
