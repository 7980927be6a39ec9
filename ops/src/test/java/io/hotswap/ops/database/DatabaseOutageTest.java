package io.hotswap.ops.database;

import io.hotswap.ops.support.CuttableProxy;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The machine's real PostgreSQL behind a link that is cut mid-test: requests that need the database answer 503 with
 * Retry-After within seconds, /health says so, and the server carries on by itself once the link is back.
 */
class DatabaseOutageTest {

    @TempDir
    Path data;

    @Test
    void requestsAnswer503WhileTheDatabaseIsAwayAndSucceedOnceItIsBack() throws Exception {
        String url = TestDatabase.create();
        URI direct = URI.create(url.substring("jdbc:".length()));
        try (CuttableProxy link = new CuttableProxy(direct.getHost(), direct.getPort());
             ConfigurableApplicationContext server = TestServers.start(
                     "--spring.datasource.url=" + url.replace(direct.getHost() + ":" + direct.getPort(), link.address()),
                     "--Data.Directory=" + data)) {
            Http http = TestServers.http(server);
            String admin = TestServers.admin(server);
            assertThat(http.postJson("/api/v1/tenants", admin, ServerTest.tenantJson("before-outage", "before-outage")).status()).isEqualTo(201);

            link.cut();

            long started = System.nanoTime();
            Http.Response write = http.postJson("/api/v1/tenants", admin, ServerTest.tenantJson("during-outage", "during-outage"));
            Duration writeTook = Duration.ofNanos(System.nanoTime() - started);
            Http.Response list = http.get("/api/v1/tenants", admin);
            Http.Response health = http.get("/health", null);

            for (Http.Response response : new Http.Response[]{write, list}) {
                assertThat(response.status()).as(response.toString()).isEqualTo(503);
                assertThat(response.json().get("type").asText()).isEqualTo("urn:hotswap:problem:database-unavailable");
                assertThat(response.header("Retry-After")).isNotBlank();
            }
            assertThat(writeTook).isLessThan(Duration.ofSeconds(10));
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().at("/components/db/status").asText()).isEqualTo("DOWN");

            link.restore();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(http.postJson("/api/v1/tenants", admin, ServerTest.tenantJson("after-outage", "after-outage")).status()).isEqualTo(201));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    http.get("/api/v1/tenants/after-outage", admin).status()).as("projections caught up").isEqualTo(200));
            assertThat(http.get("/api/v1/tenants/during-outage", admin).status()).isEqualTo(404);
        }
    }
}
