package io.hotswap.ops.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.MockCluster;
import io.hotswap.ops.support.ServerProcess;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whole servers with {@code Runtime.Provider=Kubernetes} against fabric8's CRUD mock: a tenant created over the API is
 * Provisioning until its objects exist, then Active; failures show as its reason, are retried, and survive a kill.
 */
class TenantProvisioningServerTest {

    private static final String TENANT = "tenant-acme-corp";
    private static final String NS = "tenant-acme";

    private KubernetesMockServer cluster;
    private final String database = TestDatabase.create();
    private Path data;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = ProvisioningMockCluster.start();
        data = Files.createTempDirectory("hotswap-provisioning");
    }

    @AfterEach
    void stopCluster() {
        cluster.destroy();
        List.of("kubernetes.master", "kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount",
                        "http2.disable")
                .forEach(System::clearProperty);
    }

    @Test
    void aNewTenantIsProvisioningUntilItsObjectsExistThenActive() {
        try (ConfigurableApplicationContext server = serverOn("http://127.0.0.1:" + cluster.getPort())) {
            Http.Response created = createTenant(server);
            assertThat(created.status()).isEqualTo(201);

            JsonNode tenant = awaitStatus(server, "Active");
            assertThat(tenant.has("statusReason")).isFalse();
            try (KubernetesClient client = cluster.createClient()) {
                assertThat(client.namespaces().withName(NS).get().getMetadata().getLabels())
                        .containsEntry("tenant", TENANT).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
                assertThat(client.resourceQuotas().inNamespace(NS).withName("tenant-quota").get()).isNotNull();
                assertThat(client.network().v1().networkPolicies().inNamespace(NS).list().getItems()).hasSize(5);
                assertThat(client.serviceAccounts().inNamespace(NS).withName("tenant-plugins").get()).isNotNull();
            }
            assertThat(auditTrail(server)).containsExactly("TenantCreated", "TenantProvisioningStarted",
                    "TenantClusterObjectProvisioned", "TenantClusterObjectProvisioned", "TenantClusterObjectProvisioned",
                    "TenantClusterObjectProvisioned", "TenantActivated");
        }
    }

    @Test
    void aFailedAttemptIsShownAsTheReasonAndRetried() {
        cluster.expect().post().withPath("/api/v1/namespaces/" + NS + "/resourcequotas")
                .andReturn(500, "etcd is unavailable").times(2);
        try (ConfigurableApplicationContext server = serverOn("http://127.0.0.1:" + cluster.getPort())) {
            createTenant(server);

            await().atMost(Duration.ofSeconds(20)).until(() -> tenant(server).path("statusReason").asText()
                    .contains("ResourceQuota 'tenant-quota': the API server answered 500"));
            assertThat(tenant(server).get("status").asText()).isEqualTo("Provisioning");

            awaitStatus(server, "Active");
            assertThat(auditTrail(server)).filteredOn("TenantProvisioningFailed"::equals).hasSize(2);
        }
    }

    /**
     * A separate-JVM server killed (SIGKILL) while the ResourceQuota fails, after the Namespace was provisioned: a new
     * server on the same database and data directory finishes it from the stored saga, recording each object once.
     */
    @Test
    void provisioningStoppedMidwayByAKillFinishesAfterARestart() throws Exception {
        cluster.expect().post().withPath("/api/v1/namespaces/" + NS + "/resourcequotas")
                .andReturn(500, "etcd is unavailable").always();
        try (ServerProcess server = new ServerProcess(data, database, "provisioning-kill",
                MockCluster.serverEnvironment("http://127.0.0.1:" + cluster.getPort()))) {
            server.start();
            Http http = server.http();
            String token = server.adminToken();
            assertThat(http.postJson("/api/v1/tenants", token, ServerTest.tenantJson(TENANT, NS)).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/v1/tenants/" + TENANT, token).json()
                    .path("statusReason").asText().contains("ResourceQuota 'tenant-quota': the API server answered 500"));

            server.kill();
            cluster.clearExpectations();
            server.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/v1/tenants/" + TENANT, token).json()
                    .get("status").asText().equals("Active"));
            try (KubernetesClient client = cluster.createClient()) {
                assertThat(client.resourceQuotas().inNamespace(NS).withName("tenant-quota").get()).isNotNull();
                assertThat(client.serviceAccounts().inNamespace(NS).withName("tenant-plugins").get()
                        .getAutomountServiceAccountToken()).isFalse();
            }
            assertThat(provisionedObjects()).containsExactly("Namespace", "ResourceQuota", "NetworkPolicies",
                    "ServiceAccount");
        }
    }

    @Test
    void aClusterThatDoesNotAnswerGivesTheTenantAReasonAndTheApiNoError() throws Exception {
        try (ServerSocket silent = new ServerSocket(0);
             ConfigurableApplicationContext server = serverOn("http://127.0.0.1:" + silent.getLocalPort())) {
            Http.Response created = createTenant(server);
            assertThat(created.status()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(30)).until(() -> tenant(server).path("statusReason").asText()
                    .contains("Namespace 'tenant-acme': no answer from the API server"));
            assertThat(tenant(server).get("status").asText()).isEqualTo("Provisioning");
        }
    }

    /**
     * A server whose fabric8 client finds the given API server the way it finds any: from system properties. HTTP/1.1
     * only: the mock's Vert.x 4.5.31 fails the JDK client's h2c upgrade on Boot 3.5's Netty 4.1.128 (NoSuchMethodError).
     */
    private ConfigurableApplicationContext serverOn(String apiServer) {
        System.setProperty("kubernetes.master", apiServer);
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("http2.disable", "true");
        return TestServers.start("--spring.datasource.url=" + database, "--Data.Directory=" + data,
                "--RateLimiting.DefaultRequestsPerMinute=1000000", "--Runtime.Provider=Kubernetes");
    }

    private static Http.Response createTenant(ConfigurableApplicationContext server) {
        return TestServers.http(server).postJson("/api/v1/tenants", TestServers.admin(server),
                ServerTest.tenantJson(TENANT, NS));
    }

    private static JsonNode tenant(ConfigurableApplicationContext server) {
        Http.Response response = TestServers.http(server).get("/api/v1/tenants/" + TENANT, TestServers.admin(server));
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode awaitStatus(ConfigurableApplicationContext server, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> tenant(server).get("status").asText().equals(status));
        return tenant(server);
    }

    /** The object of each TenantClusterObjectProvisioned in the tenant's audit trail, once it shows the activation. */
    private List<String> provisionedObjects() throws SQLException {
        await().atMost(Duration.ofSeconds(10)).until(() -> auditTrail("TenantActivated").size() == 1);
        return auditTrail("TenantClusterObjectProvisioned");
    }

    private List<String> auditTrail(String eventType) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database);
             PreparedStatement query = connection.prepareStatement("""
                     SELECT payload ->> 'object' FROM audit_entry WHERE tenant_id = ? AND event_type = ?
                     ORDER BY position""")) {
            query.setString(1, TENANT);
            query.setString(2, eventType);
            List<String> objects = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) objects.add(rows.getString(1));
            }
            return objects;
        }
    }

    private static List<String> auditTrail(ConfigurableApplicationContext server) {
        JdbcClient jdbc = server.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM audit_entry WHERE tenant_id = ? AND event_type = 'TenantActivated'")
                .param(TENANT).query(Long.class).single() == 1);
        return jdbc.sql("SELECT event_type FROM audit_entry WHERE tenant_id = ? ORDER BY position")
                .param(TENANT).query(String.class).list();
    }
}
