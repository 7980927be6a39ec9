package io.hotswap.ops;

import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar ... migrate}: what the guide's "Run Database Migrations" step and a Kubernetes Job run. */
class MigrateCommandTest {

    @AfterEach
    void clear() {
        System.clearProperty("DB_CONNECTION_STRING");
    }

    private static int migrationScripts() throws java.io.IOException {
        return new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
                .getResources("classpath:db/migration/V*__*.sql").length;
    }

    @Test
    void migratesTheDatabaseNamedByTheGuidesConnectionString() throws Exception {
        String url = TestDatabase.create();
        var parts = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*").matcher(url);
        assertThat(parts.matches()).as(url).isTrue();
        System.setProperty("DB_CONNECTION_STRING", "Host=" + parts.group(1) + ";Port=" + parts.group(2)
                + ";Database=" + parts.group(3) + ";Username=postgres");

        assertThat(Cli.migrate(new String[0], System.out, System.err)).isZero();
        assertThat(Cli.migrate(new String[0], System.out, System.err)).as("a second run finds nothing to do").isZero();

        try (var connection = DriverManager.getConnection(url);
             ResultSet versions = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM flyway_schema_history WHERE success")) {
            versions.next();
            assertThat(versions.getInt(1)).as("every script under db/migration, applied once").isEqualTo(migrationScripts());
        }
    }
}
