package io.hotswap.ops.database;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two servers on the embedded default in two data directories at once: each has its own PostgreSQL on a port of its
 * directory's own, and after a restart (the other one still running) each finds its own data and only that.
 */
class TwoDataDirectoriesTest {

    @TempDir
    Path a;
    @TempDir
    Path b;

    @Test
    void eachServerKeepsItsOwnDatabaseWhileTheOtherRuns() throws Exception {
        ConfigurableApplicationContext first = start(a);
        ConfigurableApplicationContext second = null;
        try {
            second = start(b);
            assertThat(createTenant(first, "tenant-a")).isEqualTo(201);
            assertThat(createTenant(second, "tenant-b")).isEqualTo(201);
            assertThat(Files.readString(a.resolve("postgres.port")).strip())
                    .isNotEqualTo(Files.readString(b.resolve("postgres.port")).strip());
            String firstPort = Files.readString(a.resolve("postgres.port")).strip();
            assertThatThrownBy(() -> start(a)).as("a second server on a directory in use")
                    .hasRootCauseInstanceOf(DataDirectoryInUseException.class);
            assertOnlyTenant(first, "tenant-a", "tenant-b");

            first.close();
            first = start(a);
            assertThat(Files.readString(a.resolve("postgres.port")).strip()).as("a restart keeps its port").isEqualTo(firstPort);
            assertOnlyTenant(first, "tenant-a", "tenant-b");
            assertOnlyTenant(second, "tenant-b", "tenant-a");

            second.close();
            second = start(b);
            assertOnlyTenant(second, "tenant-b", "tenant-a");
            assertOnlyTenant(first, "tenant-a", "tenant-b");
        } finally {
            first.close();
            if (second != null) second.close();
        }
    }

    private static ConfigurableApplicationContext start(Path data) {
        return TestServers.start("--Data.Directory=" + data, "--RateLimiting.DefaultRequestsPerMinute=1000000");
    }

    private static int createTenant(ConfigurableApplicationContext server, String tenantId) {
        return TestServers.http(server).postJson("/api/v1/tenants", TestServers.admin(server), """
                {"tenantId": "%s", "name": "Own", "namespace": "%s",
                 "quotas": {"maxPlugins": 1, "maxCpu": 1, "maxMemoryGB": 1}}""".formatted(tenantId, tenantId)).status();
    }

    private static void assertOnlyTenant(ConfigurableApplicationContext server, String own, String others) {
        Http http = TestServers.http(server);
        String token = TestServers.admin(server);
        assertThat(http.get("/health", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/tenants/" + own, token).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/tenants/" + others, token).status()).isEqualTo(404);
    }
}
