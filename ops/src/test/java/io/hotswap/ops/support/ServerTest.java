package io.hotswap.ops.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.projections.stream.EventStreamPublisher;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The whole server on a random port, over its own fresh database on the machine's PostgreSQL, with its own data
 * directory. Subclasses talk to it over real HTTP with real tokens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "Telemetry.Prometheus.Port=0",
                "RateLimiting.DefaultRequestsPerMinute=1000000", "Database.PoolSize=8"})
public abstract class ServerTest {

    private static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("hotswap-test-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestDatabase.create();
        registry.add("spring.datasource.url", () -> url);
        registry.add("Data.Directory", () -> DATA.resolve(TestDatabase.name(url)).toString());
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected TokenIssuer tokens;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected EventProcessingConfiguration processing;
    @Value("${Data.Directory}")
    protected Path dataDirectory;

    protected Http http;
    protected String admin;

    @BeforeEach
    void connect() {
        http = new Http(port);
        admin = tokens.issue("admin", List.of("platform-admin"), null, Duration.ofHours(1));
    }

    protected String token(String subject, String role, String tenantId) {
        return tokens.issue(subject, List.of(role), tenantId, Duration.ofHours(1));
    }

    protected long storedEvents() {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry").query(Long.class).single();
    }

    protected long storedBinaries() {
        Path root = dataDirectory.resolve("binaries");
        if (!Files.exists(root)) return 0;
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until every event processor has handled every stored event (projections run asynchronously); all but the
     * Kafka publisher, which waits for its broker.
     */
    protected void awaitProjections() {
        long head = jdbc.sql("SELECT coalesce(max(global_index), -1) FROM domain_event_entry").query(Long.class).single();
        await().atMost(Duration.ofSeconds(15)).until(() -> processing.eventProcessors().values().stream()
                .filter(processor -> !processor.getName().equals(EventStreamPublisher.PROCESSING_GROUP))
                .filter(StreamingEventProcessor.class::isInstance) // subscribing ones are done when the command is
                .map(StreamingEventProcessor.class::cast)
                .allMatch(processor -> !processor.processingStatus().isEmpty() && processor.processingStatus().values()
                        .stream().allMatch(segment -> segment.getCurrentPosition().orElse(-1) >= head)));
    }

    protected String createTenant(String tenantId, String namespace) {
        return createTenant(http, admin, tenantId, namespace);
    }

    /** Creates a tenant with {@link #tenantJson} on any server; answers its id. */
    public static String createTenant(Http http, String token, String tenantId, String namespace) {
        Http.Response response = http.postJson("/api/v1/tenants", token, tenantJson(tenantId, namespace));
        if (response.status() != 201) throw new AssertionError("tenant not created: " + response);
        return tenantId;
    }

    /** The body that creates a tenant with room for a few deployments. */
    public static String tenantJson(String tenantId, String namespace) {
        return """
                {"tenantId": "%s", "name": "Tenant %s", "namespace": "%s",
                 "quotas": {"maxPlugins": 5, "maxCpu": 8.0, "maxMemoryGB": 16}}""".formatted(tenantId, tenantId, namespace);
    }

    protected Http.Response registerPlugin(String pluginId, String version, byte[] binary, String metadataJson) {
        return registerPlugin(http, admin, pluginId, version, binary, metadataJson);
    }

    /** The guide's multipart {@code POST /plugins}, to any server. */
    public static Http.Response registerPlugin(Http http, String token, String pluginId, String version, byte[] binary,
                                               String metadataJson) {
        return http.postMultipart("/api/v1/plugins", token,
                Http.Part.text("pluginId", pluginId), Http.Part.text("name", pluginId + " plugin"),
                Http.Part.text("version", version), Http.Part.file("binary", pluginId + ".jar", binary),
                Http.Part.file("metadata", "plugin-metadata.json", metadataJson.getBytes()));
    }

    /** Registers a plugin version and waits until the catalogue shows it. */
    protected void register(String pluginId, String version, byte[] jar, String metadata) {
        Http.Response response = registerPlugin(pluginId, version, jar, metadata);
        if (response.status() != 200 && response.status() != 201) throw new AssertionError("not registered: " + response);
        awaitProjections();
    }

    /** Starts a canary in Production with the given strategyConfig members; answers the deployment id. */
    protected String deploy(String tenantId, String pluginId, String version, int instances, String config) {
        Http.Response response = http.postJson("/api/v1/plugin-deployments", admin,
                deploymentJson(tenantId, pluginId, version, instances, config));
        if (response.status() != 202) throw new AssertionError("deployment not started: " + response);
        String id = response.json().get("deploymentId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/plugin-deployments/" + id, admin).status() == 200);
        return id;
    }

    public static String deploymentJson(String tenantId, String pluginId, String version, int instances, String config) {
        return """
                {"pluginId": "%s", "pluginVersion": "%s", "tenantId": "%s", "environment": "Production",
                 "strategy": "Canary", "strategyConfig": {%s}, "totalInstances": %d}"""
                .formatted(pluginId, version, tenantId, config, instances);
    }

    protected JsonNode awaitStatus(String deploymentId, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> deployment(deploymentId).get("status").asText().equals(status));
        return deployment(deploymentId);
    }

    protected JsonNode deployment(String deploymentId) {
        return http.get("/api/v1/plugin-deployments/" + deploymentId, admin).json();
    }

    /**
     * Starts a canary that holds still in its first stage (no health checks or deadlines for a day), and waits until
     * it got there, so no event of its own lands while a test counts events.
     */
    protected String startDeployment(String tenantId, String pluginId, String version, String environment) {
        Http.Response response = http.postJson("/api/v1/plugin-deployments", admin, """
                {"pluginId": "%s", "pluginVersion": "%s", "tenantId": "%s", "environment": "%s",
                 "strategy": "Canary", "strategyConfig": {"stages": "10,30,50,100", "stageInterval": "86400",
                 "healthCheckInterval": "86400", "progressDeadline": "86400"}, "totalInstances": 4}"""
                .formatted(pluginId, version, tenantId, environment));
        if (response.status() != 202) throw new AssertionError("deployment not started: " + response);
        String deploymentId = response.json().get("deploymentId").asText();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> http.get(
                "/api/v1/plugin-deployments/" + deploymentId, admin).json().get("currentStage").asInt() == 1);
        awaitProjections();
        return deploymentId;
    }
}
