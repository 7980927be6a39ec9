package io.hotswap.ops.deployment;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Open event streams do not hold a stopping server: they end at once and their clients may reconnect elsewhere. */
class EventStreamShutdownTest {

    @TempDir
    Path data;

    @Test
    void stopsPromptlyWithAnEventStreamOpen() throws Exception {
        ConfigurableApplicationContext server = TestServers.start("--spring.datasource.url=" + TestDatabase.create(),
                "--Data.Directory=" + data, "--RateLimiting.DefaultRequestsPerMinute=1000000");
        CompletableFuture<List<String>> lines;
        try {
            Http http = TestServers.http(server);
            String token = TestServers.admin(server);
            assertThat(http.postJson("/api/v1/tenants", token, ServerTest.tenantJson("tenant-streamed", "streamed"))
                    .status()).isEqualTo(201);
            assertThat(http.postMultipart("/api/v1/plugins", token, Http.Part.text("pluginId", "streamed-plugin"),
                    Http.Part.text("version", "1.0.0"), Http.Part.file("binary", "s.jar", "s".getBytes())).status())
                    .isEqualTo(201);
            Http.Response started = http.postJson("/api/v1/plugin-deployments", token, """
                    {"pluginId": "streamed-plugin", "pluginVersion": "1.0.0", "tenantId": "tenant-streamed",
                     "environment": "Production", "strategy": "Canary", "totalInstances": 2,
                     "strategyConfig": {"stages": "50,100", "stageInterval": "86400", "healthCheckInterval": "86400",
                                        "progressDeadline": "86400"}}""");
            assertThat(started.status()).isEqualTo(202);
            String deploymentId = started.json().get("deploymentId").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/plugin-deployments/" + deploymentId,
                    token).status() == 200);
            String port = server.getEnvironment().getProperty("local.server.port");
            HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://localhost:" + port + "/api/v1/plugin-deployments/"
                                    + deploymentId + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            lines = CompletableFuture.supplyAsync(() -> stream.body().toList());
        } finally {
            long stopping = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
        }
        // the client saw its stream end (it was not cut off at the end of a 30 s wait)
        assertThat(lines.get(5, TimeUnit.SECONDS)).anyMatch(line -> line.startsWith("event:DeploymentStarted"));
    }
}
