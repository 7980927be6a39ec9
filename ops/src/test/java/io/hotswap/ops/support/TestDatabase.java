package io.hotswap.ops.support;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh databases on the machine's real PostgreSQL ({@code HOTSWAP_TEST_POSTGRES}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}). A test that cannot reach it fails; it never skips.
 */
public final class TestDatabase {

    private static final String ADMIN_URL = System.getenv().getOrDefault("HOTSWAP_TEST_POSTGRES",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabase() {
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String create() {
        String name = "hotswap_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(ADMIN_URL)) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + name);
            admin.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests is not reachable at " + ADMIN_URL
                    + " (start it, or set HOTSWAP_TEST_POSTGRES): " + e.getMessage(), e);
        }
        return ADMIN_URL.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
    }

    /** A pool on a new database that Flyway has migrated as the server would; close it when done. */
    public static HikariDataSource migrated() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(create());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }
}
