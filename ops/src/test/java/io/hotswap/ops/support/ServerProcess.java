package io.hotswap.ops.support;

import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A whole server in a JVM of its own on one data directory and one test database, to be killed (SIGKILL) or stopped
 * (SIGTERM) and started again as an operator would. Its output goes to {@code target/<name>-server.log}.
 */
public final class ServerProcess implements AutoCloseable {

    private static final String INSTANCE_MARK = "-Dhotswap.instance=";

    private final Path data;
    private final String database;
    private final Path log;
    private final int port;
    private final Map<String, String> environment;
    private Process process;

    public ServerProcess(Path data, String database, String name) throws IOException {
        this(data, database, name, Map.of());
    }

    /** With extra environment variables, given to every start. */
    public ServerProcess(Path data, String database, String name, Map<String, String> environment) throws IOException {
        this.data = data;
        this.database = database;
        this.log = Path.of("target", name + "-server.log");
        this.port = MainProcess.freePort();
        this.environment = environment;
    }

    /** Starts the server and waits until {@code /health} answers 200. */
    public ServerProcess start() throws IOException {
        process = MainProcess.start(data, log, environment, "--spring.datasource.url=" + database, "--Data.Directory=" + data,
                "--server.port=" + port, "--management.server.port=" + MainProcess.freePort(),
                "--RateLimiting.DefaultRequestsPerMinute=1000000");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> http().get("/health", null).status() == 200);
        return this;
    }

    /** SIGKILL: no shutdown hook runs, child processes are left as they are. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: a normal stop. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    public Http http() {
        return new Http(port);
    }

    public String adminToken() {
        return token("admin", "platform-admin", null);
    }

    public String token(String subject, String role, String tenantId) {
        return new TokenIssuer(JwtKeys.resolve(null, data), "plugin-manager", "plugin-api")
                .issue(subject, List.of(role), tenantId, Duration.ofHours(1));
    }

    /** Where its output goes, appended to across starts. */
    public Path log() {
        return log;
    }

    /** Plugin processes launched from this data directory, by instance id, whoever their parent is now. */
    public Map<String, List<ProcessHandle>> pluginProcesses() {
        String runtimeMark = "-Dhotswap.runtime=" + data.resolve("runtime").toAbsolutePath().normalize();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(runtimeMark)).orElse(false))
                .collect(Collectors.groupingBy(ServerProcess::instanceId));
    }

    private static String instanceId(ProcessHandle process) {
        return Arrays.stream(process.info().arguments().orElse(new String[0]))
                .filter(arg -> arg.startsWith(INSTANCE_MARK)).map(arg -> arg.substring(INSTANCE_MARK.length()))
                .findFirst().orElse("(none)");
    }

    @Override
    public void close() {
        if (process != null) process.destroyForcibly();
        pluginProcesses().values().forEach(processes -> processes.forEach(ProcessHandle::destroyForcibly));
    }
}
