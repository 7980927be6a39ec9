package io.hotswap.ops.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginHealthCheck;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.plugin.PluginCatalogue;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances recorded by builds before V7 named neither jar nor health check; the runtime reads no catalogue any more,
 * so V9 fills both in from the catalogue, as the runtime's binary cache names the jar.
 */
class EarlierInstanceRecordsTest {

    @Test
    void instancesRecordedBeforeV7GetTheirJarAndHealthCheckFromTheCatalogue() {
        try (HikariDataSource database = new HikariDataSource()) {
            database.setJdbcUrl(TestDatabase.create());
            Flyway.configure().dataSource(database).locations("classpath:db/migration").target("8").load().migrate();
            JdbcClient jdbc = JdbcClient.create(database);
            PluginCatalogue catalogue = new PluginCatalogue(jdbc, new ReadModelWrites(new JdbcTemplate(database)),
                    new JsonColumns(new ObjectMapper()));
            catalogue.insertPlugin("payment-stripe", "payment-stripe", Instant.now());
            catalogue.insertVersion("payment-stripe", "1.2.0", new PluginBinary("payment-stripe/1.2.0", "ab".repeat(32), 10),
                    new PluginMetadata("", null, null, new PluginHealthCheck("/ready", 3), null), Instant.now());
            recordAsBeforeV7(jdbc, "i-1", "1.2.0");
            recordAsBeforeV7(jdbc, "i-2", "9.9.9");

            Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();

            assertThat(jdbc.sql("SELECT instance_id, jar, health_path, health_timeout_ms FROM runtime_instance ORDER BY 1")
                    .query().listOfRows()).containsExactly(
                    Map.of("instance_id", "i-1", "jar", "ab".repeat(32) + ".jar", "health_path", "/ready",
                            "health_timeout_ms", 3000L),
                    unknownVersionLeftAsItWas());
        }
    }

    private static void recordAsBeforeV7(JdbcClient jdbc, String instanceId, String version) {
        jdbc.sql("""
                INSERT INTO runtime_instance (instance_id, tenant_id, plugin_id, environment, version, pid, port, started_at)
                VALUES (?, 'tenant-acme', 'payment-stripe', 'Production', ?, 4242, 9000, now())""")
                .params(instanceId, version).update();
    }

    /** A version the catalogue does not know keeps its row as it was; the runtime says it cannot run it. */
    private static Map<String, Object> unknownVersionLeftAsItWas() {
        Map<String, Object> row = new HashMap<>();
        row.put("instance_id", "i-2");
        row.put("jar", null);
        row.put("health_path", null);
        row.put("health_timeout_ms", null);
        return row;
    }
}
