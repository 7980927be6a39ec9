package io.hotswap.ops.support;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.SpringApplication;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh databases on the machine's real PostgreSQL ({@code HOTSWAP_TEST_POSTGRES}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}). A test that cannot reach it fails; it never skips.
 * The server is shared: every database created here is dropped when the test JVM ends, after Spring Boot has closed
 * the servers that used it (its shutdown handlers run after its contexts are closed), forcing off whatever is still
 * connected.
 */
public final class TestDatabase {

    private static final String ADMIN_URL = System.getenv().getOrDefault("HOTSWAP_TEST_POSTGRES",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    static {
        SpringApplication.getShutdownHandlers().add(TestDatabase::dropAll);
    }

    private TestDatabase() {
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String create() {
        String name = "hotswap_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(ADMIN_URL)) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + name);
            admin.createStatement().execute("CREATE DATABASE " + name);
            CREATED.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests is not reachable at " + ADMIN_URL
                    + " (start it, or set HOTSWAP_TEST_POSTGRES): " + e.getMessage(), e);
        }
        return ADMIN_URL.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
    }

    /**
     * Drops every database this JVM created; what cannot be dropped is reported, not thrown. Runs by itself after
     * Spring Boot's servers have closed; a JVM that runs none (a benchmark driving another process) calls it.
     */
    public static void dropAll() {
        drop(List.copyOf(CREATED));
    }

    /**
     * Drops one database {@link #create} made: for a test whose server runs in a process of its own, as Spring Boot's
     * shutdown handlers run only in a JVM that started a Spring application.
     */
    public static void drop(String url) {
        drop(List.of(name(url)));
    }

    /** The name of the database at a URL {@link #create} answered. */
    public static String name(String url) {
        return url.replaceAll(".*/(hotswap_test_[0-9_]+).*", "$1");
    }

    private static void drop(List<String> names) {
        if (names.isEmpty()) return;
        try (Connection admin = DriverManager.getConnection(ADMIN_URL)) {
            for (String name : names) {
                try {
                    drop(admin, name);
                } catch (SQLException e) {
                    System.err.println("Could not drop the test database " + name + ": " + e.getMessage());
                }
            }
        } catch (SQLException e) {
            System.err.println("Could not drop the test databases " + names + ": " + e.getMessage());
        }
    }

    private static void drop(Connection admin, String name) throws SQLException {
        admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        CREATED.remove(name);
    }

    /** A pool on a new database that Flyway has migrated as the server would; close it when done. */
    public static HikariDataSource migrated() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(create());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }
}
