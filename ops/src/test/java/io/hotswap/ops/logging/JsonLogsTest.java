package io.hotswap.ops.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerProcess;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code LOGGING_FORMAT=json}, as an operator sets it for Fluent Bit: a whole server in its own JVM writes nothing but
 * JSON lines to stdout, a request's lines carry its correlation id, tenant and deployment, and the guide's
 * {@code grep "SECURITY_VIOLATION"} still finds a cross-tenant attempt; the saga's lines carry the correlation id of
 * the request that started the deployment, and the deployment.
 */
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void writesJsonLinesWithTheRequestsContext() throws Exception {
        try (ServerProcess server = new ServerProcess(data, TestDatabase.create(), "json-logs",
                Map.of("LOGGING_FORMAT", "json"))) {
            Files.deleteIfExists(server.log());
            server.start();
            Http http = server.http();
            String admin = server.adminToken();
            assertThat(http.postJson("/api/v1/tenants", admin, ServerTest.tenantJson("tenant-acme", "acme")).status())
                    .isEqualTo(201);
            assertThat(http.postMultipart("/api/v1/plugins", admin, Http.Part.text("pluginId", "logged"),
                    Http.Part.text("name", "logged plugin"), Http.Part.text("version", "1.0.0"),
                    Http.Part.file("binary", "logged.jar", "not a jar".getBytes()),
                    Http.Part.file("metadata", "plugin-metadata.json", "{}".getBytes())).status()).isEqualTo(201);
            Http.Response started = http.postJson("/api/v1/plugin-deployments", admin, ServerTest.deploymentJson(
                    "tenant-acme", "logged", "1.0.0", 1, "\"stageInterval\": \"86400\""));
            assertThat(started.status()).isEqualTo(202);
            String deploymentId = started.json().get("deploymentId").asText();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    http.get("/api/v1/plugin-deployments/" + deploymentId, admin).status() == 200);

            String mallory = server.token("mallory", "tenant-admin", "tenant-other");
            Http.Response tenant = http.get("/api/v1/tenants/tenant-acme", mallory);
            Http.Response rollback = http.postJson("/api/v1/plugin-deployments/" + deploymentId + "/rollback", mallory,
                    "{\"reason\": \"mine now\"}");
            assertThat(tenant.status()).isEqualTo(403);
            assertThat(rollback.status()).isEqualTo(403);

            // grep "SECURITY_VIOLATION", as the guide's troubleshooting does
            List<String> violations = await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(server.log())
                    .stream().filter(line -> line.contains("SECURITY_VIOLATION")).toList(), found -> found.size() == 2);
            JsonNode onTenant = JSON.readTree(violations.get(0));
            assertThat(onTenant.at("/log/level").asText()).isEqualTo("WARN");
            assertThat(onTenant.get("message").asText()).startsWith("SECURITY_VIOLATION principal=mallory");
            assertThat(onTenant.get("correlationId").asText()).isEqualTo(tenant.header("X-Correlation-Id"));
            assertThat(onTenant.get("tenantId").asText()).isEqualTo("tenant-acme");
            JsonNode onDeployment = JSON.readTree(violations.get(1));
            assertThat(onDeployment.get("correlationId").asText()).isEqualTo(rollback.header("X-Correlation-Id"));
            assertThat(onDeployment.get("deploymentId").asText()).isEqualTo(deploymentId);

            // the saga's work on the deployment, caused by the request that started it
            JsonNode launched = parse(await().atMost(Duration.ofSeconds(30)).until(() -> Files.readAllLines(server.log())
                    .stream().filter(line -> line.contains("Started logged 1.0.0")).findFirst(), found -> found.isPresent())
                    .get());
            assertThat(launched.get("correlationId").asText()).isEqualTo(started.header("X-Correlation-Id"));
            assertThat(launched.get("deploymentId").asText()).isEqualTo(deploymentId);

            server.stop();
            List<String> lines = Files.readAllLines(server.log());
            assertThat(lines).hasSizeGreaterThan(10);
            for (String line : lines) assertThat(parse(line).has("@timestamp")).as(line).isTrue();
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }
}
