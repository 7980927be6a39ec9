package io.hotswap.ops.database;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default: PostgreSQL 17 under the data directory, durable, and kept across restarts. */
class EmbeddedPostgresTest {

    @TempDir
    Path data;

    @Test
    void keepsItsDataAcrossRestartsWithDurabilityOn() throws Exception {
        int port = freePort();
        try (EmbeddedPostgresDataSource first = EmbeddedPostgresDataSource.start(data, port)) {
            JdbcClient jdbc = JdbcClient.create(first);
            assertThat(jdbc.sql("SHOW server_version").query(String.class).single()).startsWith("17.");
            assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
            assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
            Flyway.configure().dataSource(first).locations("classpath:db/migration").load().migrate();
            jdbc.sql("INSERT INTO tenant_directory (tenant_id, namespace) VALUES ('kept', 'kept')").update();
        }
        try (EmbeddedPostgresDataSource second = EmbeddedPostgresDataSource.start(data, port)) {
            assertThat(JdbcClient.create(second).sql("SELECT namespace FROM tenant_directory WHERE tenant_id = 'kept'")
                    .query(String.class).single()).isEqualTo("kept");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
