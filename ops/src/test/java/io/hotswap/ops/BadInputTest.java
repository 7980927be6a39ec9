package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.TestPropertySource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What careless or hostile clients send. Each case must get its status, a problem+json body naming the problem
 * (and the field, where one was wrong), and leave the event store, the binaries and the read models as they were.
 */
@TestPropertySource(properties = "Storage.MaxBinarySizeMB=1")
class BadInputTest extends ServerTest {

    /** One bad request; {@code send} gets the client and the deployment id that exists. */
    record Case(String name, BiFunction<BadInputTest, String, Http.Response> send, int status, String type,
                String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String deploymentId;

    @BeforeEach
    void knownGoodState() {
        if (deploymentId != null) return;
        createTenant("tenant-valid", "valid");
        registerPlugin("valid-plugin", "1.0.0", "valid".getBytes(), "{}");
        deploymentId = startDeployment("tenant-valid", "valid-plugin", "1.0.0", "Production");
    }

    static Stream<Case> cases() {
        return Stream.of(
                tenant("tenant id that is not a DNS label", "{\"tenantId\": \"Tenant_Acme\", \"name\": \"A\", \"namespace\": \"a\", \"quotas\": {\"maxPlugins\": 1, \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 400, "invalid-input", "tenantId"),
                tenant("tenant id longer than 63", "{\"tenantId\": \"" + "a".repeat(64) + "\", \"name\": \"A\", \"namespace\": \"a\", \"quotas\": {\"maxPlugins\": 1, \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 400, "invalid-input", "tenantId"),
                tenant("namespace with upper case", "{\"tenantId\": \"t1\", \"name\": \"A\", \"namespace\": \"Tenant-A\", \"quotas\": {\"maxPlugins\": 1, \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 400, "invalid-input", "namespace"),
                tenant("quotas missing", "{\"tenantId\": \"t1\", \"name\": \"A\", \"namespace\": \"a1\"}", 400, "invalid-input", "quotas"),
                tenant("maxPlugins above MAX_PLUGINS_PER_TENANT", "{\"tenantId\": \"t1\", \"name\": \"A\", \"namespace\": \"a1\", \"quotas\": {\"maxPlugins\": 51, \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 400, "invalid-input", "quotas.maxPlugins"),
                tenant("negative CPU quota", "{\"tenantId\": \"t1\", \"name\": \"A\", \"namespace\": \"a1\", \"quotas\": {\"maxPlugins\": 1, \"maxCpu\": -2, \"maxMemoryGB\": 1}}", 400, "invalid-input", "quotas.maxCpu"),
                tenant("fractional plugin quota", "{\"tenantId\": \"t1\", \"name\": \"A\", \"namespace\": \"a1\", \"quotas\": {\"maxPlugins\": 2.5, \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 400, "invalid-input", "quotas.maxPlugins"),
                tenant("plugin quota that is not a number", "{\"tenantId\": \"t1\", \"name\": \"A\", \"namespace\": \"a1\", \"quotas\": {\"maxPlugins\": \"many\", \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 400, "invalid-input", "quotas.maxPlugins"),
                tenant("misspelt field", "{\"tenantID\": \"t1\", \"name\": \"A\", \"namespace\": \"a1\", \"quotas\": {\"maxPlugins\": 1, \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 400, "invalid-input", "tenantID"),
                tenant("broken JSON", "{\"tenantId\": \"t1\", ", 400, "invalid-input", "body"),
                tenant("JSON that is not an object", "[1, 2, 3]", 400, "invalid-input", "body"),
                tenant("empty body", "", 400, "invalid-input", "body"),
                tenant("duplicate tenant id", "{\"tenantId\": \"tenant-valid\", \"name\": \"A\", \"namespace\": \"fresh\", \"quotas\": {\"maxPlugins\": 1, \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 409, "tenant-exists", null),
                tenant("namespace already taken", "{\"tenantId\": \"tenant-new\", \"name\": \"A\", \"namespace\": \"valid\", \"quotas\": {\"maxPlugins\": 1, \"maxCpu\": 1, \"maxMemoryGB\": 1}}", 409, "namespace-taken", null),
                new Case("tenant as XML", (t, id) -> t.http.post("/api/v1/tenants", t.admin, "application/xml", "<tenant/>"), 415, "unsupported-media-type", null),
                plugin("version that is not semver", "payment-x", "2.0", "{}", "plugin".getBytes(), 400, "version"),
                plugin("plugin id with a space", "Payment Stripe", "1.0.0", "{}", "plugin".getBytes(), 400, "pluginId"),
                plugin("missing binary", "payment-x", "1.0.0", "{}", null, 400, "binary"),
                plugin("empty binary", "payment-x", "1.0.0", "{}", new byte[0], 400, "binary"),
                plugin("broken metadata JSON", "payment-x", "1.0.0", "{\"description\": ", "plugin".getBytes(), 400, "metadata"),
                plugin("dependency with a broken range", "payment-x", "1.0.0", "{\"dependencies\": [{\"pluginId\": \"core\", \"versionRange\": \"^^1\"}]}", "plugin".getBytes(), 400, "metadata.dependencies[0].versionRange"),
                plugin("image plugin without an image", "payment-x", "1.0.0", "{\"runtime\": {\"type\": \"image\"}}", "plugin".getBytes(), 400, "metadata.runtime.image"),
                plugin("image reference that is not one", "payment-x", "1.0.0", "{\"runtime\": {\"type\": \"image\", \"image\": \"Registry Example/Stripe:2.0!\"}}", "plugin".getBytes(), 400, "metadata.runtime.image"),
                plugin("unknown runtime type", "payment-x", "1.0.0", "{\"runtime\": {\"type\": \"exe\"}}", "plugin".getBytes(), 400, "metadata.runtime.type"),
                plugin("health path that is not a path", "payment-x", "1.0.0", "{\"healthCheck\": {\"path\": \"health\"}}", "plugin".getBytes(), 400, "metadata.healthCheck.path"),
                plugin("binary over the size limit", "payment-x", "1.0.0", "{}", new byte[1024 * 1024 + 1], 413, null),
                new Case("binary that does not match its stated SHA-256", (t, id) -> t.http.postMultipart("/api/v1/plugins", t.admin,
                        Http.Part.text("pluginId", "payment-x"), Http.Part.text("version", "1.0.0"),
                        Http.Part.text("sha256", "0".repeat(64)), Http.Part.file("binary", "p.jar", "plugin".getBytes())),
                        400, "invalid-input", "sha256"),
                new Case("plugin registration as JSON", (t, id) -> t.http.postJson("/api/v1/plugins", t.admin, "{\"pluginId\": \"x\"}"), 415, "unsupported-media-type", null),
                deploy("canary stages not ascending", "\"strategy\": \"Canary\", \"strategyConfig\": {\"stages\": \"10,50,30,100\"}, \"totalInstances\": 4", 400, "invalid-input", "strategyConfig.stages"),
                deploy("canary stages not ending at 100", "\"strategyConfig\": {\"stages\": \"10,30,50\"}, \"totalInstances\": 4", 400, "invalid-input", "strategyConfig.stages"),
                deploy("canary stages that are not numbers", "\"strategyConfig\": {\"stages\": \"ten,100\"}, \"totalInstances\": 4", 400, "invalid-input", "strategyConfig.stages"),
                deploy("unknown strategy", "\"strategy\": \"Yolo\", \"totalInstances\": 4", 400, "invalid-input", "strategy"),
                deploy("unknown strategy setting", "\"strategyConfig\": {\"stageIntervall\": \"30\"}, \"totalInstances\": 4", 400, "invalid-input", "strategyConfig.stageIntervall"),
                deploy("strategy setting that is an object", "\"strategyConfig\": {\"stages\": {\"a\": 1}}, \"totalInstances\": 4", 400, "invalid-input", "strategyConfig.stages"),
                deploy("zero instances", "\"totalInstances\": 0", 400, "invalid-input", "totalInstances"),
                deploy("more instances than allowed", "\"totalInstances\": 1000", 400, "invalid-input", "totalInstances"),
                deploy("instances missing", "\"strategy\": \"Direct\"", 400, "invalid-input", "totalInstances"),
                new Case("environment with a space", (t, id) -> t.http.postJson("/api/v1/plugin-deployments", t.admin,
                        "{\"pluginId\": \"valid-plugin\", \"pluginVersion\": \"1.0.0\", \"tenantId\": \"tenant-valid\", \"environment\": \"Prod uction\", \"totalInstances\": 2}"), 400, "invalid-input", "environment"),
                new Case("unknown plugin version", (t, id) -> t.http.postJson("/api/v1/plugin-deployments", t.admin,
                        "{\"pluginId\": \"valid-plugin\", \"pluginVersion\": \"9.9.9\", \"tenantId\": \"tenant-valid\", \"environment\": \"Staging\", \"totalInstances\": 2}"), 404, "not-found", null),
                new Case("unknown tenant", (t, id) -> t.http.postJson("/api/v1/plugin-deployments", t.admin,
                        "{\"pluginId\": \"valid-plugin\", \"pluginVersion\": \"1.0.0\", \"tenantId\": \"tenant-ghost\", \"environment\": \"Staging\", \"totalInstances\": 2}"), 404, "not-found", null),
                new Case("rollback without a reason", (t, id) -> t.http.post("/api/v1/plugin-deployments/" + id + "/rollback", t.admin,
                        null, "{}"), 400, "invalid-input", "reason"),
                new Case("rollback with a blank reason", (t, id) -> t.http.post("/api/v1/plugin-deployments/" + id + "/rollback", t.admin,
                        "application/json", "{\"reason\": \"   \"}"), 400, "invalid-input", "reason"),
                new Case("rollback of an unknown deployment", (t, id) -> t.http.postJson("/api/v1/plugin-deployments/no-such-id/rollback", t.admin,
                        "{\"reason\": \"x\"}"), 404, "not-found", null),
                new Case("negative page", (t, id) -> t.http.get("/api/v1/plugin-deployments?page=-1", t.admin), 400, "invalid-input", "page"),
                new Case("page size of 1000", (t, id) -> t.http.get("/api/v1/plugins?size=1000", t.admin), 400, "invalid-input", "size"),
                new Case("page that is not a number", (t, id) -> t.http.get("/api/v1/tenants?page=abc", t.admin), 400, "invalid-input", "page"),
                new Case("unknown status filter", (t, id) -> t.http.get("/api/v1/plugin-deployments?status=Exploded", t.admin), 400, "invalid-input", "status"),
                new Case("validate-dependencies with a bad version", (t, id) -> t.http.post("/api/v1/plugin-deployments/validate-dependencies", t.admin,
                        null, "{\"pluginId\": \"valid-plugin\", \"pluginVersion\": \"one\", \"tenantId\": \"tenant-valid\"}"), 400, "invalid-input", "pluginVersion"),
                // control characters: PostgreSQL cannot store U+0000, and no name or id has any use for the others
                tenant("tenant name with NUL", """
                        {"tenantId": "t-nul", "name": "a\\u0000b", "namespace": "nul", "quotas": {"maxPlugins": 1, "maxCpu": 1, "maxMemoryGB": 1}}""", 400, "invalid-input", "name"),
                tenant("tenant name with a line break", """
                        {"tenantId": "t-nl", "name": "a\\nb", "namespace": "nl", "quotas": {"maxPlugins": 1, "maxCpu": 1, "maxMemoryGB": 1}}""", 400, "invalid-input", "name"),
                tenant("field name with a control character", """
                        {"tenantId": "t-f", "na\\u0001me": "A", "namespace": "f", "quotas": {"maxPlugins": 1, "maxCpu": 1, "maxMemoryGB": 1}}""", 400, "invalid-input", null),
                new Case("rollback reason with NUL", (t, id) -> t.http.postJson("/api/v1/plugin-deployments/" + id + "/rollback", t.admin,
                        "{\"reason\": \"broken\\u0000\"}"), 400, "invalid-input", "reason"),
                new Case("rollback reason with an escape sequence", (t, id) -> t.http.postJson("/api/v1/plugin-deployments/" + id + "/rollback", t.admin,
                        "{\"reason\": \"red \\u001b[31m\"}"), 400, "invalid-input", "reason"),
                plugin("metadata description with NUL", "payment-x", "1.0.0", "{\"description\": \"a\\u0000\"}", "plugin".getBytes(), 400, "metadata.description"),
                new Case("plugin name with NUL", (t, id) -> t.http.postMultipart("/api/v1/plugins", t.admin,
                        Http.Part.text("pluginId", "payment-x"), Http.Part.text("name", "Pay\u0000ment"), Http.Part.text("version", "1.0.0"),
                        Http.Part.file("binary", "p.jar", "plugin".getBytes())), 400, "invalid-input", "name"),
                new Case("search with NUL", (t, id) -> t.http.get("/api/v1/plugins?search=a%00b", t.admin), 400, "invalid-input", "search"),
                new Case("deployment filter with NUL", (t, id) -> t.http.get("/api/v1/plugin-deployments?pluginId=a%00b", t.admin), 400, "invalid-input", "pluginId"),
                new Case("audit filter with a control character", (t, id) -> t.http.get("/api/v1/audit?principal=a%01b", t.admin), 400, "invalid-input", "principal"),
                // bodies read the same way whatever the content type curl -d gives them, and named in the client's terms
                new Case("deployment body as curl -d sends it", (t, id) -> t.http.post("/api/v1/plugin-deployments?dryRun=true", t.admin,
                        "application/x-www-form-urlencoded", "{\"pluginId\": \"valid-plugin\", \"pluginVersion\": \"1.0.0\", \"tenantId\": \"tenant-valid\", \"environment\": \"Staging\", \"totalInstances\": 0}"),
                        400, "invalid-input", "totalInstances"),
                new Case("deployment body without a content type", (t, id) -> t.http.post("/api/v1/plugin-deployments", t.admin,
                        null, "{\"pluginId\": \"valid-plugin\", \"pluginVersion\": \"1.0.0\", \"tenantId\": \"tenant-valid\", \"environment\": \"Staging\", \"totalInstances\": \"four\"}"),
                        400, "invalid-input", "totalInstances"),
                tenant("a field given twice", """
                        {"tenantId": "t2", "tenantId": "t3", "name": "A", "namespace": "a2", "quotas": {"maxPlugins": 1, "maxCpu": 1, "maxMemoryGB": 1}}""", 400, "invalid-input", "body"),
                tenant("quotas that are a list", """
                        {"tenantId": "t2", "name": "A", "namespace": "a2", "quotas": [1]}""", 400, "invalid-input", "quotas"),
                deploy("strategy settings that are a list", "\"strategyConfig\": [1], \"totalInstances\": 4", 400, "invalid-input", "strategyConfig"),
                // sizes: the real limit, before the body has been read
                tenant("a JSON body of 8 MB", "{\"name\": \"" + "x".repeat(8 * 1024 * 1024) + "\"}", 413, "payload-too-large", null),
                // paths the servlet container refuses itself, and paths that lead nowhere
                new Case("encoded traversal in the path", (t, id) -> t.http.get("/api/v1/plugin-deployments/%2e%2e%2f%2e%2e%2fetc%2fpasswd", t.admin), 400, "bad-request", null),
                new Case("encoded NUL in the path", (t, id) -> t.http.get("/api/v1/tenants/a%00b", t.admin), 400, "bad-request", null),
                new Case("unknown path", (t, id) -> t.http.get("/api/v1/nothing-here", t.admin), 404, "not-found", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesBadInputAndChangesNothing(Case badInput) {
        awaitProjections();
        long events = storedEvents();
        long binaries = storedBinaries();
        String readModels = readModelFingerprint();

        Http.Response response = badInput.send().apply(this, deploymentId);

        assertThat(response.status()).as(response.toString()).isEqualTo(badInput.status());
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asText()).isEqualTo("urn:hotswap:problem:" + badInput.type());
        assertThat(problem.get("status").asInt()).isEqualTo(badInput.status());
        assertThat(problem.get("detail").asText()).isNotBlank()
                .as("a detail names the input, not Java types or parser settings")
                .doesNotContain("java.", "io.hotswap", "Source:", "REDACTED", "Feature", "JsonToken")
                .doesNotContainPattern("[A-Z][A-Za-z]+\\[[a-z][A-Za-z]*="); // a record's toString
        if (badInput.status() == 413) assertThat(problem.get("limitBytes").asLong()).isPositive();
        if (badInput.field() != null) {
            assertThat(problem.get("errors").findValuesAsText("field")).contains(badInput.field());
        }
        assertThat(storedEvents()).isEqualTo(events);
        assertThat(storedBinaries()).isEqualTo(binaries);
        awaitProjections();
        assertThat(readModelFingerprint()).isEqualTo(readModels);
    }

    /**
     * A client that keeps sending an oversized body after the refusal (as most do: they read the answer only once
     * they have sent everything) gets the 413, and the connection is not reset under it.
     */
    @Test
    void answersAnOversizedBodyWhileTheClientIsStillSending() throws Exception {
        int size = 8 * 1024 * 1024;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try {
                    socket.getInputStream().transferTo(answer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/tenants HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + admin
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            for (int sent = 0; sent < size; sent += chunk.length) out.write(chunk); // a reset would throw here
            out.flush();
            reading.get(30, TimeUnit.SECONDS); // or here
            String response = answer.toString(StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json")
                    .contains("urn:hotswap:problem:payload-too-large").contains("65536 bytes (64 KB)");
        }
    }

    private String readModelFingerprint() {
        return jdbc.sql("""
                SELECT (SELECT count(*) FROM tenant_view) || '/' || (SELECT count(*) FROM plugin_version_view) || '/'
                    || (SELECT string_agg(deployment_id || status, ',') FROM deployment_view) || '/'
                    || (SELECT count(*) FROM tenant_directory)""").query(String.class).single();
    }

    private static Case tenant(String name, String body, int status, String type, String field) {
        return new Case(name, (t, id) -> t.http.postJson("/api/v1/tenants", t.admin, body), status, type, field);
    }

    private static Case plugin(String name, String pluginId, String version, String metadata, byte[] binary, int status,
                               String field) {
        return new Case(name, (t, id) -> {
            List<Http.Part> parts = new java.util.ArrayList<>(List.of(Http.Part.text("pluginId", pluginId),
                    Http.Part.text("version", version), Http.Part.file("metadata", "m.json", metadata.getBytes())));
            if (binary != null) parts.add(Http.Part.file("binary", "p.jar", binary));
            return t.http.postMultipart("/api/v1/plugins", t.admin, parts.toArray(Http.Part[]::new));
        }, status, status == 413 ? "payload-too-large" : "invalid-input", field);
    }

    private static Case deploy(String name, String fields, int status, String type, String field) {
        return new Case(name, (t, id) -> t.http.postJson("/api/v1/plugin-deployments", t.admin,
                "{\"pluginId\": \"valid-plugin\", \"pluginVersion\": \"1.0.0\", \"tenantId\": \"tenant-valid\", "
                        + "\"environment\": \"Staging\", " + fields + "}"), status, type, field);
    }
}
