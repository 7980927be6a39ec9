package io.hotswap.ops.runtime;

import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginVersionView;
import io.hotswap.query.plugin.PluginCatalogue;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The embedded default's runtime: each instance is an OS process {@code java -jar <binary>} with
 * {@code PLUGIN_PORT}, {@code PLUGIN_INSTANCE_ID} and {@code PLUGIN_VERSION} in its environment; health is an HTTP
 * GET on {@code http://127.0.0.1:$PLUGIN_PORT<healthCheck.path>} (2xx healthy).
 *
 * <p>It runs {@code jar} plugins only; starting a deployment of another kind is refused before it gets here.
 *
 * <p>An instance that exits is not restarted: it shows as {@code Exited} until it is scaled away, so a crashing
 * version fails its health checks and is rolled back. Processes are recorded in {@code runtime_instance}; a server
 * restarted after a crash takes over the ones still running, and a server that stops normally stops them all.
 */
public class LocalProcessRuntime implements PluginRuntime, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LocalProcessRuntime.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private record Instance(String id, DeploymentTarget target, String version, int port, ProcessHandle process,
                            Instant startedAt) {
    }

    /** How to run and check one plugin version, resolved once from the catalogue. */
    private record VersionSpec(Path jar, String healthPath, Duration healthTimeout) {
    }

    private final PluginCatalogue catalogue;
    private final BinaryStore binaries;
    private final JdbcClient jdbc;
    private final MeterRegistry metrics;
    private final Path binaryCache;
    private final Path logs;
    /** {@code [nice -n N] java <options>}: everything before {@code -jar}. */
    private final List<String> launcher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final Map<String, VersionSpec> specs = new ConcurrentHashMap<>();
    /** Scaling is serialised per target; different targets scale in parallel. */
    private final Map<DeploymentTarget, Object> locks = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public LocalProcessRuntime(PluginCatalogue catalogue, BinaryStore binaries, JdbcClient jdbc, MeterRegistry metrics,
                               Path workDirectory, List<String> javaOptions, int niceness) throws IOException {
        this.catalogue = catalogue;
        this.binaries = binaries;
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.binaryCache = Files.createDirectories(workDirectory.resolve("binaries"));
        this.logs = Files.createDirectories(workDirectory.resolve("logs"));
        this.launcher = launcher(javaOptions, niceness);
        adoptSurvivors();
    }

    @Override
    public void scale(DeploymentTarget target, String version, int wanted) {
        synchronized (locks.computeIfAbsent(target, t -> new Object())) {
            List<Instance> current = instancesOf(target, version);
            // surplus goes first where it hurts least: exited instances, then the newest
            stopAll(current.stream()
                    .sorted(Comparator.comparing((Instance i) -> i.process().isAlive())
                            .thenComparing(Instance::startedAt, Comparator.reverseOrder()))
                    .limit(Math.max(0, current.size() - wanted))
                    .toList());
            for (int i = current.size(); i < wanted; i++) {
                start(target, version);
            }
        }
    }

    @Override
    public List<InstanceHealth> check(DeploymentTarget target, String version) {
        List<Instance> checked = instancesOf(target, version);
        if (checked.isEmpty()) return List.of();
        VersionSpec spec = spec(target.pluginId(), version);
        List<CompletableFuture<InstanceHealth>> results = new ArrayList<>();
        for (Instance instance : checked) results.add(check(instance, spec));
        return results.stream().map(CompletableFuture::join)
                .sorted(Comparator.comparing(InstanceHealth::instanceId)).toList();
    }

    @Override
    public Map<String, Integer> running(DeploymentTarget target) {
        return instances.values().stream()
                .filter(i -> i.target().equals(target) && i.process().isAlive())
                .collect(Collectors.groupingBy(Instance::version, TreeMap::new, Collectors.summingInt(i -> 1)));
    }

    /**
     * Stops every instance: nothing is left running when the server stops. A deadline still running while the server
     * stops may try to start one more; {@link #stopping} makes it stop that one itself.
     */
    @Override
    public void destroy() {
        stopping = true;
        stopAll(List.copyOf(instances.values()));
    }

    private CompletableFuture<InstanceHealth> check(Instance instance, VersionSpec spec) {
        if (!instance.process().isAlive()) {
            return done(instance, InstanceState.Exited, "the process exited; its output is in " + logOf(instance.id()));
        }
        Timer.Sample sample = Timer.start(metrics);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + spec.healthPath()))
                .timeout(spec.healthTimeout()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    InstanceHealth health;
                    if (failure == null && response.statusCode() / 100 == 2) {
                        answered.add(instance.id());
                        health = health(instance, InstanceState.Healthy, null);
                    } else if (failure == null) {
                        answered.add(instance.id());
                        health = health(instance, InstanceState.Unhealthy, "GET " + spec.healthPath() + " answered "
                                + response.statusCode());
                    } else if (answered.contains(instance.id())) {
                        health = health(instance, InstanceState.Unhealthy, "GET " + spec.healthPath() + " failed: "
                                + rootMessage(failure));
                    } else {
                        health = health(instance, InstanceState.Starting, "not answering on port " + instance.port() + " yet");
                    }
                    if (health.state() != InstanceState.Starting) {
                        String status = health.state() == InstanceState.Healthy ? "healthy" : "unhealthy";
                        sample.stop(metrics.timer("plugin.health.check.duration", "status", status));
                        metrics.counter("plugin.health.check", "status", status).increment();
                    }
                    return health;
                });
    }

    private void start(DeploymentTarget target, String version) {
        if (stopping) throw new IllegalStateException("the server is stopping: no new plugin instances");
        VersionSpec spec = spec(target.pluginId(), version);
        String id = target.pluginId() + "-" + UUID.randomUUID().toString().substring(0, 8);
        int port = freePort();
        List<String> command = new ArrayList<>(launcher);
        command.add("-jar");
        command.add(spec.jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logOf(id).toFile());
        builder.environment().put("PLUGIN_PORT", Integer.toString(port));
        builder.environment().put("PLUGIN_INSTANCE_ID", id);
        builder.environment().put("PLUGIN_VERSION", version);
        builder.environment().put("PLUGIN_TENANT_ID", target.tenantId());
        try {
            ProcessHandle process = builder.start().toHandle();
            Instance instance = new Instance(id, target, version, port, process, Instant.now());
            instances.put(id, instance);
            if (stopping) { // destroy() took its list before this instance was in it
                stopAll(List.of(instance));
                throw new IllegalStateException("the server is stopping: no new plugin instances");
            }
            jdbc.sql("""
                    INSERT INTO runtime_instance (instance_id, tenant_id, plugin_id, environment, version, pid, port, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(id, target.tenantId(), target.pluginId(), target.environment(), version, process.pid(), port,
                            Timestamp.from(instance.startedAt()))
                    .update();
            log.info("Started {} {} of {} on port {} (pid {})", target.pluginId(), version, target.tenantId(), port, process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + target.pluginId() + " " + version, e);
        }
    }

    /** Asks them all to stop at once, then waits for each: stopping one JVM after the other would add up. */
    private void stopAll(List<Instance> stopping) {
        stopping.forEach(instance -> instance.process().destroy());
        for (Instance instance : stopping) {
            ProcessHandle process = instance.process();
            try {
                process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
            instances.remove(instance.id());
            answered.remove(instance.id());
            try {
                jdbc.sql("DELETE FROM runtime_instance WHERE instance_id = ?").param(instance.id()).update();
            } catch (RuntimeException e) {
                // the process is gone; a stale row is dropped by the next start, which finds no such process
                log.warn("Could not forget instance {}: {}", instance.id(), e.getMessage());
            }
            log.info("Stopped {} {} of {} (pid {})", instance.target().pluginId(), instance.version(),
                    instance.target().tenantId(), process.pid());
        }
    }

    /** Takes over the processes a crashed predecessor left running, and forgets the ones that died with it. */
    private void adoptSurvivors() {
        jdbc.sql("SELECT * FROM runtime_instance").query((rs, n) -> {
            String id = rs.getString("instance_id");
            Optional<ProcessHandle> process = ProcessHandle.of(rs.getLong("pid")).filter(ProcessHandle::isAlive);
            if (process.isPresent()) {
                instances.put(id, new Instance(id, new DeploymentTarget(rs.getString("tenant_id"),
                        rs.getString("plugin_id"), rs.getString("environment")), rs.getString("version"),
                        rs.getInt("port"), process.get(), rs.getTimestamp("started_at").toInstant()));
            }
            return id;
        }).list().stream().filter(id -> !instances.containsKey(id))
                .forEach(id -> jdbc.sql("DELETE FROM runtime_instance WHERE instance_id = ?").param(id).update());
        if (!instances.isEmpty()) log.info("Took over {} plugin instance(s) still running", instances.size());
    }

    private VersionSpec spec(String pluginId, String version) {
        return specs.computeIfAbsent(pluginId + "@" + version, key -> {
            PluginVersionView view = catalogue.findVersion(pluginId, version)
                    .orElseThrow(() -> new IllegalStateException("no version " + version + " of " + pluginId + " in the catalogue"));
            PluginBinary binary = catalogue.findBinary(pluginId, version).orElseThrow();
            return new VersionSpec(cachedJar(binary), view.metadata().healthCheck().path(),
                    Duration.ofSeconds(view.metadata().healthCheck().timeoutSeconds()));
        });
    }

    /** The binary as a local file, copied once from the store: {@code java -jar} needs a path. */
    private Path cachedJar(PluginBinary binary) {
        Path jar = binaryCache.resolve(binary.sha256() + ".jar");
        if (Files.exists(jar)) return jar;
        try (InputStream in = binaries.open(binary.storageKey())
                .orElseThrow(() -> new IllegalStateException("binary " + binary.storageKey() + " is missing from the store"))) {
            Path partial = Files.createTempFile(binaryCache, "incoming", ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Plugins run at a lower CPU priority than the server: fifty JVMs starting at once would otherwise delay every
     * deadline and health check on a small machine. {@code nice} replaces itself with java, so the pid is java's.
     */
    private static List<String> launcher(List<String> javaOptions, int niceness) {
        List<String> launcher = new ArrayList<>();
        if (niceness != 0) launcher.addAll(List.of("nice", "-n", Integer.toString(niceness)));
        launcher.add(ProcessHandle.current().info().command().orElse("java"));
        launcher.addAll(javaOptions);
        return List.copyOf(launcher);
    }

    private List<Instance> instancesOf(DeploymentTarget target, String version) {
        return instances.values().stream().filter(i -> i.target().equals(target) && i.version().equals(version)).toList();
    }

    private Path logOf(String instanceId) {
        return logs.resolve(instanceId + ".log");
    }

    private static CompletableFuture<InstanceHealth> done(Instance instance, InstanceState state, String detail) {
        return CompletableFuture.completedFuture(health(instance, state, detail));
    }

    private static InstanceHealth health(Instance instance, InstanceState state, String detail) {
        return new InstanceHealth(instance.id(), instance.version(), state, detail);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) root = root.getCause();
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
