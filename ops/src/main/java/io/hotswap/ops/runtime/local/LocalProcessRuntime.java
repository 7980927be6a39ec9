package io.hotswap.ops.runtime.local;

import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.hotswap.sagas.runtime.PluginVersionSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The embedded default's runtime: each instance is an OS process {@code java -jar <binary>} with
 * {@code PLUGIN_PORT}, {@code PLUGIN_INSTANCE_ID} and {@code PLUGIN_VERSION} in its environment; health is an HTTP
 * GET on {@code http://127.0.0.1:$PLUGIN_PORT<healthCheck.path>} (2xx healthy). It runs {@code jar} plugins only;
 * starting a deployment of another kind is refused before it gets here.
 *
 * <p>What it was asked to run is recorded in {@code runtime_instance} (see {@link InstanceRecords}) before the process
 * exists, and each process carries this runtime's directory and its instance id on its command line. So at start,
 * before anything else runs, every recorded instance is taken over if its process still runs and started again if
 * not, and every process launched from this directory that is not recorded is stopped: a server killed at any
 * instant leaves nothing that nobody owns. A normal stop stops every process and keeps the records, so the next start
 * brings the same instances back.
 *
 * <p>An instance that exits is started again: at once, then after 1 s, 2 s, 4 s ... up to a minute while it keeps
 * exiting within a minute of its start; after {@value #CRASH_LOOP_EXITS} such exits in a row it shows as
 * {@code CrashLooping}.
 */
public class LocalProcessRuntime implements PluginRuntime, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LocalProcessRuntime.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** An exit sooner than this after the start counts toward a crash loop and a longer back-off. */
    private static final Duration QUICK_EXIT = Duration.ofMinutes(1);
    private static final Duration MAX_BACK_OFF = Duration.ofMinutes(1);
    static final int CRASH_LOOP_EXITS = 3;
    /** The command-line marks that make a process recognisably this runtime's. */
    private static final String RUNTIME_MARK = "-Dhotswap.runtime=";
    private static final String INSTANCE_MARK = "-Dhotswap.instance=";

    /** How to run and check one plugin version. */
    record VersionSpec(Path jar, String healthPath, Duration healthTimeout) {
    }

    /** One instance it was asked to run. {@code process} is null while the instance waits for its next start. */
    private static final class Instance {
        final String id;
        final DeploymentTarget target;
        final String version;
        final VersionSpec spec;
        volatile int port;
        volatile ProcessHandle process;
        volatile Instant startedAt;
        volatile int restarts;
        volatile int quickExits;   // exits in a row, each soon after its start
        volatile boolean answered; // answered a health check since it last started
        volatile String lastExit;  // why it last stopped, for the health detail
        volatile Instant nextStart;
        volatile boolean removed;  // scaled away: its exit is expected

        Instance(String id, DeploymentTarget target, String version, VersionSpec spec, int port, int restarts) {
            this.id = id;
            this.target = target;
            this.version = version;
            this.spec = spec;
            this.port = port;
            this.restarts = restarts;
        }
    }

    private final BinaryStore binaries;
    private final InstanceRecords records;
    private final MeterRegistry metrics;
    private final Path binaryCache;
    private final Path logs;
    private final String runtimeMark;
    /** {@code [nice -n N] java <options>}: everything before the marks and {@code -jar}. */
    private final List<String> launcher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    /** Changes are serialised per target; different targets change in parallel. */
    private final Map<DeploymentTarget, Object> locks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "plugin-restarts");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopping;

    public LocalProcessRuntime(BinaryStore binaries, InstanceRecords.Factory records, MeterRegistry metrics,
                               Path workDirectory, List<String> javaOptions, int niceness) throws IOException {
        this.binaries = binaries;
        this.metrics = metrics;
        Path directory = Files.createDirectories(workDirectory).toAbsolutePath().normalize();
        this.binaryCache = Files.createDirectories(directory.resolve("binaries"));
        this.logs = Files.createDirectories(directory.resolve("logs"));
        this.runtimeMark = RUNTIME_MARK + directory;
        this.records = records.forOwner(hostName() + ":" + directory);
        this.launcher = launcher(javaOptions, niceness);
        reconcileAtStart();
    }

    /** {@code java -jar}: images need the Kubernetes runtime. */
    @Override
    public Set<String> runtimeTypes() {
        return Set.of("jar");
    }

    @Override
    public void scale(DeploymentTarget target, PluginVersionSpec version, int wanted) {
        synchronized (lockOf(target)) {
            List<Instance> current = instancesOf(target, version.version());
            // surplus goes first where it hurts least: instances waiting for a restart, then the newest
            stop(current.stream()
                    .sorted(Comparator.comparing((Instance i) -> isRunning(i))
                            .thenComparing(i -> i.startedAt == null ? Instant.MAX : i.startedAt, Comparator.reverseOrder()))
                    .limit(Math.max(0, current.size() - wanted))
                    .toList());
            for (int i = current.size(); i < wanted; i++) {
                create(target, version);
            }
        }
    }

    @Override
    public List<InstanceHealth> check(DeploymentTarget target, String version) {
        List<CompletableFuture<InstanceHealth>> results = new ArrayList<>();
        for (Instance instance : instancesOf(target, version)) results.add(check(instance));
        return results.stream().map(CompletableFuture::join)
                .sorted(Comparator.comparing(InstanceHealth::instanceId)).toList();
    }

    @Override
    public Map<String, Integer> running(DeploymentTarget target) {
        return instances.values().stream()
                .filter(i -> i.target.equals(target) && isRunning(i))
                .collect(Collectors.groupingBy(i -> i.version, TreeMap::new, Collectors.summingInt(i -> 1)));
    }

    @Override
    public void replace(DeploymentTarget target, String instanceId) {
        synchronized (lockOf(target)) {
            Instance instance = instances.get(instanceId);
            if (instance == null || !instance.target.equals(target) || instance.removed) return;
            ProcessHandle process = instance.process;
            instance.process = null; // its exit is expected: no restart of its own
            if (process != null) kill(List.of(process));
            instance.lastExit = "replaced: it had stopped answering its health check";
            instance.restarts++;
            launch(instance);
        }
    }

    /**
     * Stops every process launched from this directory and keeps the records: the next start runs the same instances
     * again. A deadline still running while the server stops may try to start one more; {@link #stopping} makes it
     * stop that one itself.
     */
    @Override
    public void destroy() {
        stopping = true;
        restarts.shutdownNow();
        Map<Long, ProcessHandle> running = new HashMap<>();
        instances.values().forEach(instance -> {
            ProcessHandle process = instance.process;
            instance.process = null;
            if (process != null) running.put(process.pid(), process);
        });
        launchedHere().values().forEach(process -> running.put(process.pid(), process));
        kill(List.copyOf(running.values()));
        try {
            records.stoppedAll(); // stopped on purpose: the next start does not count them as restarted
        } catch (RuntimeException e) {
            log.warn("Could not record the stop of the plugin processes; the next start counts them as restarted: {}",
                    e.getMessage());
        }
        log.info("Stopped {} plugin process(es); they start again with the server", running.size());
    }

    private CompletableFuture<InstanceHealth> check(Instance instance) {
        ProcessHandle process = instance.process;
        if (process == null || !process.isAlive()) {
            boolean looping = instance.quickExits >= CRASH_LOOP_EXITS;
            Instant next = instance.nextStart;
            String detail = (instance.lastExit == null ? "the process is not running" : instance.lastExit)
                    + (next == null ? "" : "; next start in " + Math.max(0, Duration.between(Instant.now(), next).toSeconds()) + " s")
                    + "; its output is in " + logOf(instance.id);
            return done(instance, looping ? InstanceState.CrashLooping : InstanceState.Exited, detail);
        }
        String path = instance.spec.healthPath();
        Timer.Sample sample = Timer.start(metrics);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + path))
                .timeout(instance.spec.healthTimeout()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    InstanceHealth health;
                    if (failure == null && response.statusCode() / 100 == 2) {
                        instance.answered = true;
                        health = health(instance, InstanceState.Healthy, null);
                    } else if (failure == null) {
                        instance.answered = true;
                        health = health(instance, InstanceState.Unhealthy, "GET " + path + " answered " + response.statusCode());
                    } else if (instance.answered) {
                        health = health(instance, InstanceState.NotAnswering, "GET " + path + " failed: " + rootMessage(failure));
                    } else {
                        health = health(instance, InstanceState.Starting, (instance.lastExit == null ? ""
                                : "started again (" + instance.lastExit + "); ") + "not answering on port " + instance.port + " yet");
                    }
                    if (health.state() != InstanceState.Starting) {
                        String status = health.state() == InstanceState.Healthy ? "healthy" : "unhealthy";
                        sample.stop(metrics.timer("plugin.health.check.duration", "status", status));
                        metrics.counter("plugin.health.check", "status", status).increment();
                    }
                    return health;
                });
    }

    /** Records the instance (committed on its own) before its process exists, then starts the process. */
    private void create(DeploymentTarget target, PluginVersionSpec version) {
        refuseWhileStopping();
        VersionSpec spec = new VersionSpec(cachedJar(version.binary()), version.healthCheck().path(),
                Duration.ofSeconds(version.healthCheck().timeoutSeconds()));
        String id = target.pluginId() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Instance instance = new Instance(id, target, version.version(), spec, freePort(), 0);
        records.insert(id, target, instance.version, instance.port, spec);
        instances.put(id, instance);
        launch(instance);
    }

    /** Starts the instance's process. A process that could not be started gives its record and port back. */
    private void launch(Instance instance) {
        refuseWhileStopping();
        if (!portIsFree(instance.port)) instance.port = freePort();
        List<String> command = new ArrayList<>(launcher);
        command.add(runtimeMark);
        command.add(INSTANCE_MARK + instance.id);
        command.add("-jar");
        command.add(instance.spec.jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(instance.id).toFile()));
        builder.environment().put("PLUGIN_PORT", Integer.toString(instance.port));
        builder.environment().put("PLUGIN_INSTANCE_ID", instance.id);
        builder.environment().put("PLUGIN_VERSION", instance.version);
        builder.environment().put("PLUGIN_TENANT_ID", instance.target.tenantId());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            forget(instance);
            throw new UncheckedIOException("could not start " + instance.target.pluginId() + " " + instance.version, e);
        }
        watch(instance, process.toHandle(), process);
        records.started(instance.id, process.pid(), instance.port, instance.startedAt, instance.restarts);
        if (stopping) { // destroy() took its list before this process existed
            instance.process = null;
            kill(List.of(process.toHandle()));
            throw new IllegalStateException("the server is stopping: no new plugin instances");
        }
        log.info("Started {} {} of {} on port {} (pid {}{})", instance.target.pluginId(), instance.version,
                instance.target.tenantId(), instance.port, process.pid(),
                instance.restarts == 0 ? "" : ", restart " + instance.restarts);
    }

    /** Follows a process of the instance: when it exits on its own, the instance is started again after a back-off. */
    private void watch(Instance instance, ProcessHandle process, Process child) {
        instance.process = process;
        instance.startedAt = process.info().startInstant().orElse(Instant.now());
        instance.answered = false;
        instance.nextStart = null;
        process.onExit().thenRun(() -> exited(instance, process, child));
    }

    private void exited(Instance instance, ProcessHandle process, Process child) {
        if (instance.removed || stopping || instance.process != process) return; // stopped on purpose
        synchronized (lockOf(instance.target)) {
            if (instance.removed || stopping || instance.process != process) return;
            Duration ran = Duration.between(instance.startedAt, Instant.now());
            instance.process = null;
            instance.quickExits = ran.compareTo(QUICK_EXIT) < 0 ? instance.quickExits + 1 : 0;
            instance.lastExit = (child == null ? "exited" : "exited with code " + child.exitValue())
                    + " after " + ran.toSeconds() + " s";
            Duration backOff = backOff(instance.quickExits);
            instance.nextStart = Instant.now().plus(backOff);
            log.warn("{} {} of {} (pid {}) {}; starting it again in {} s", instance.target.pluginId(), instance.version,
                    instance.target.tenantId(), process.pid(), instance.lastExit, backOff.toSeconds());
            restarts.schedule(() -> restart(instance), backOff.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void restart(Instance instance) {
        synchronized (lockOf(instance.target)) {
            if (instance.removed || stopping || instance.process != null) return;
            instance.restarts++;
            try {
                launch(instance);
            } catch (RuntimeException e) {
                log.warn("Could not start {} again: {}", instance.id, e.getMessage());
            }
        }
    }

    /** At once after the first quick exit, then 1 s, 2 s, 4 s ... up to a minute. */
    static Duration backOff(int quickExits) {
        if (quickExits <= 1) return Duration.ZERO;
        long seconds = 1L << Math.min(quickExits - 2, 6); // 1, 2, 4 ... 64
        return Duration.ofSeconds(Math.min(seconds, MAX_BACK_OFF.toSeconds()));
    }

    /** Forgets the records first: a server killed in between leaves an unrecorded process, which the next start stops. */
    private void stop(List<Instance> leaving) {
        List<ProcessHandle> processes = new ArrayList<>();
        for (Instance instance : leaving) {
            instance.removed = true;
            forget(instance);
            ProcessHandle process = instance.process;
            instance.process = null;
            if (process != null) processes.add(process);
            log.info("Stopping {} {} of {}{}", instance.target.pluginId(), instance.version, instance.target.tenantId(),
                    process == null ? "" : " (pid " + process.pid() + ")");
        }
        kill(processes);
    }

    private void forget(Instance instance) {
        instances.remove(instance.id);
        records.delete(instance.id);
    }

    /** Asks them all to stop at once, then waits for each: stopping one JVM after the other would add up. */
    private static void kill(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Before anything else runs: takes over every recorded instance whose process still runs, starts the others
     * again, and stops every process launched from this directory that is not recorded.
     */
    private void reconcileAtStart() {
        Map<String, ProcessHandle> launched = launchedHere();
        int adopted = 0;
        int started = 0;
        for (InstanceRecords.Row row : records.all()) {
            if (row.spec() == null) {
                log.warn("Cannot run recorded instance {} of {} {}: no jar recorded, and the catalogue had none either",
                        row.instanceId(), row.target().pluginId(), row.version());
                continue;
            }
            // an earlier build recorded the jar by its name in the binary cache (V9)
            VersionSpec spec = new VersionSpec(binaryCache.resolve(row.spec().jar()), row.spec().healthPath(),
                    row.spec().healthTimeout());
            Instance instance = new Instance(row.instanceId(), row.target(), row.version(), spec, row.port(), row.restarts());
            instances.put(instance.id, instance);
            ProcessHandle process = Optional.ofNullable(launched.remove(row.instanceId()))
                    .or(() -> unmarkedProcess(row.pid(), spec.jar())).orElse(null);
            if (process != null) {
                watch(instance, process, null);
                if (row.pid() == null || row.pid() != process.pid()) {
                    records.started(instance.id, process.pid(), instance.port, instance.startedAt, instance.restarts);
                }
                adopted++;
            } else {
                instance.lastExit = "it was not running when the server started";
                if (row.pid() != null) instance.restarts++; // it ran and died while the server was down: a restart
                try {
                    launch(instance);
                    started++;
                } catch (RuntimeException e) {
                    log.warn("Could not start {} again: {}", instance.id, e.getMessage());
                }
            }
        }
        if (!launched.isEmpty()) {
            log.warn("Stopping {} plugin process(es) launched from {} that no record asks for: {}", launched.size(),
                    runtimeMark.substring(RUNTIME_MARK.length()), launched.keySet());
            kill(List.copyOf(launched.values()));
        }
        if (adopted + started > 0) log.info("Plugin instances: took over {} still running, started {} again", adopted, started);
    }

    /**
     * A process started by a build that did not mark its processes yet: still alive under the recorded pid, running the
     * recorded jar, and carrying no runtime's mark.
     */
    private static Optional<ProcessHandle> unmarkedProcess(Long pid, Path jar) {
        if (pid == null) return Optional.empty();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> process.info().arguments()
                .map(List::of)
                .filter(args -> args.stream().anyMatch(arg -> arg.endsWith(jar.getFileName().toString()))
                        && args.stream().noneMatch(arg -> arg.startsWith(RUNTIME_MARK)))
                .isPresent());
    }

    /** The processes launched from this runtime's directory, by instance id, whoever started them. */
    private Map<String, ProcessHandle> launchedHere() {
        Map<String, ProcessHandle> found = new HashMap<>();
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(process -> {
            String[] args = process.info().arguments().orElse(null);
            if (args == null || !List.of(args).contains(runtimeMark)) return;
            for (String arg : args) {
                if (arg.startsWith(INSTANCE_MARK)) found.put(arg.substring(INSTANCE_MARK.length()), process);
            }
        });
        return found;
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

    private void refuseWhileStopping() {
        if (stopping) throw new IllegalStateException("the server is stopping: no new plugin instances");
    }

    private Object lockOf(DeploymentTarget target) {
        return locks.computeIfAbsent(target, t -> new Object());
    }

    private static boolean isRunning(Instance instance) {
        ProcessHandle process = instance.process;
        return process != null && process.isAlive();
    }

    private List<Instance> instancesOf(DeploymentTarget target, String version) {
        return instances.values().stream().filter(i -> i.target.equals(target) && i.version.equals(version)).toList();
    }

    private Path logOf(String instanceId) {
        return logs.resolve(instanceId + ".log");
    }

    private static CompletableFuture<InstanceHealth> done(Instance instance, InstanceState state, String detail) {
        return CompletableFuture.completedFuture(health(instance, state, detail));
    }

    private static InstanceHealth health(Instance instance, InstanceState state, String detail) {
        return new InstanceHealth(instance.id, instance.version, state, detail, instance.restarts);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) root = root.getCause();
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private boolean portIsFree(int port) {
        boolean ours = instances.values().stream().anyMatch(i -> i.port == port && isRunning(i));
        if (ours) return false;
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
