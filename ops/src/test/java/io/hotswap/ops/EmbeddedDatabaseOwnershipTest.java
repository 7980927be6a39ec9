package io.hotswap.ops;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.MainProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default's database belongs to the server running on its data directory: the README's commands run
 * beside it from the same directory (as separate processes, like {@code java -jar ...}) never stop or lock it, a
 * second server there refuses to start, and a server killed with SIGKILL leaves a PostgreSQL that the next server on
 * the directory stops and takes over.
 */
class EmbeddedDatabaseOwnershipTest {

    @TempDir
    Path work;

    private Process server;

    @AfterEach
    void stopEverything() throws Exception {
        if (server != null) server.destroyForcibly().waitFor();
        // a PostgreSQL left by a failed run of the kill test: its command line names the data directory
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(postgresData().toString())).orElse(false))
                .forEach(ProcessHandle::destroy);
    }

    @Test
    void commandsRunBesideALiveServerWithoutTouchingItsDatabase() throws Exception {
        int port = MainProcess.freePort();
        server = startServer(port);
        Http http = new Http(port);
        String token = Files.readString(work.resolve("data/admin-token"));
        assertThat(createTenant(http, token, "tenant-before")).isEqualTo(201);

        MainProcess.Result help = MainProcess.run(work, "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("migrate", "token [--sub NAME]", "bench [canaries=50] [rollbacks=5]");
        assertThat(help.out() + help.err()).doesNotContain("Stopping PostgreSQL", "Tomcat");

        MainProcess.Result tokenHelp = MainProcess.run(work, "token", "--help");
        assertThat(tokenHelp.exitCode()).as(tokenHelp.toString()).isZero();
        assertThat(tokenHelp.out()).contains("--hours").doesNotContain("eyJ");

        MainProcess.Result migrate = MainProcess.run(work, "migrate");
        assertThat(migrate.exitCode()).as(migrate.toString()).isEqualTo(1);
        assertThat(migrate.err()).contains("the data directory " + work.resolve("data")
                + " is in use by a running server (pid " + server.pid() + ")", "stop it first");
        assertThat(migrate.out() + migrate.err()).doesNotContain("Stopping PostgreSQL");

        MainProcess.Result typo = MainProcess.run(work, "mirgate");
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown command 'mirgate'", "usage:");

        MainProcess.Result secondServer = MainProcess.run(work, "--server.port=" + MainProcess.freePort(),
                "--management.server.port=" + MainProcess.freePort());
        assertThat(secondServer.exitCode()).as(secondServer.toString()).isNotZero();
        assertThat(secondServer.out() + secondServer.err())
                .contains("in use by a running server (pid " + server.pid() + ")", "Stop that server first")
                .doesNotContain("Stopping PostgreSQL");

        MainProcess.Result minted = MainProcess.run(work, "token", "--sub", "alice", "--hours", "1");
        assertThat(minted.exitCode()).as(minted.toString()).isZero();
        String aliceToken = minted.out().strip();

        assertThat(http.get("/health", null).status()).isEqualTo(200);
        assertThat(createTenant(http, aliceToken, "tenant-after")).as("a write after the commands").isEqualTo(201);
        assertThat(http.get("/api/v1/tenants/tenant-before", token).status()).isEqualTo(200);

        server.destroyForcibly().waitFor(); // SIGKILL: its PostgreSQL keeps running on the directory
        assertThat(postgresRunning()).as("PostgreSQL outlives a killed server").isTrue();
        server = startServer(port);
        assertThat(Files.readString(work.resolve("server.log"))).contains("Stopping PostgreSQL (pid");
        assertThat(http.get("/api/v1/tenants/tenant-after", token).status()).isEqualTo(200);
        assertThat(createTenant(http, token, "tenant-restarted")).isEqualTo(201);

        server.destroy(); // SIGTERM: a normal stop takes its PostgreSQL along
        server.waitFor();
        await().atMost(Duration.ofSeconds(15)).until(() -> !postgresRunning());
    }

    /** The embedded default in {@code work}, as the README runs it; ready once it wrote its admin token. */
    private Process startServer(int port) throws Exception {
        Path log = work.resolve("server.log");
        Files.deleteIfExists(work.resolve("data/admin-token"));
        Process process = MainProcess.start(work, log, "--server.port=" + port,
                "--management.server.port=" + MainProcess.freePort(), "--RateLimiting.DefaultRequestsPerMinute=1000000");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Path adminToken = work.resolve("data/admin-token");
        while (!Files.exists(adminToken) || Files.size(adminToken) == 0) {
            if (!process.isAlive()) throw new AssertionError("the server exited:\n" + Files.readString(log));
            if (System.nanoTime() > deadline) throw new AssertionError("not ready in 120 s:\n" + Files.readString(log));
            Thread.sleep(200);
        }
        assertThat(new Http(port).get("/health", null).status()).isEqualTo(200);
        return process;
    }

    private static int createTenant(Http http, String token, String tenantId) {
        return http.postJson("/api/v1/tenants", token, """
                {"tenantId": "%s", "name": "Owned", "namespace": "%s",
                 "quotas": {"maxPlugins": 1, "maxCpu": 1, "maxMemoryGB": 1}}""".formatted(tenantId, tenantId)).status();
    }

    private boolean postgresRunning() {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .map(line -> line.contains(postgresData().toString())).orElse(false));
    }

    private Path postgresData() {
        return work.resolve("data/postgres");
    }
}
