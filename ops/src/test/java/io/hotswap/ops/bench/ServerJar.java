package io.hotswap.ops.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The packaged server as a child process, with only the given environment (and PATH). */
final class ServerJar {
    final Process process;
    final Path log;
    private final String healthUrl;
    private final long startedNanos = System.nanoTime();

    private ServerJar(Process process, Path log, String healthUrl) {
        this.process = process;
        this.log = log;
        this.healthUrl = healthUrl;
    }

    static ServerJar start(Path jar, Map<String, String> env, Path work) throws IOException {
        Path log = work.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // e.g. -Dbench.serverJavaOptions="-XX:StartFlightRecording=filename=/tmp/server.jfr,dumponexit=true" to profile
        String options = System.getProperty("bench.serverJavaOptions", "").trim();
        if (!options.isEmpty()) command.addAll(List.of(options.split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new ServerJar(process, log, "http://127.0.0.1:" + env.get("SERVER_PORT") + "/health");
    }

    Duration awaitHealthy(Duration timeout) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant until = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) throw new IllegalStateException("the server exited with " + process.exitValue());
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(healthUrl))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) return Duration.ofNanos(System.nanoTime() - startedNanos);
                last = health.statusCode() + " " + health.body();
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server was not healthy within " + timeout + ": " + last);
    }

    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException gone) {
            // the process ended
        }
        return 0;
    }

    /** For a benchmark that failed: where the server's log is and how it ends. */
    void printLogTail() {
        System.out.println("server log (" + log + "), last lines:\n" + tail(60));
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The jar built by {@code mvn -B -q -DskipTests package} ({@code -Dbench.jar=...} for another), warning when stale. */
    static Path jar() throws IOException {
        Path jar = Path.of(System.getProperty("bench.jar", "target/hotswap-plugin-manager.jar")).toAbsolutePath();
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing: run mvn -B -q -DskipTests package first");
        warnIfOlderThanClasses(jar);
        return jar;
    }

    /** User plus system CPU time of a process so far, from /proc/&lt;pid&gt;/stat (clock ticks of 10 ms). */
    static double cpuSeconds(long pid) throws IOException {
        return cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /**
     * The same less what the JIT compiler's threads took so far (C1 and C2 CompilerThread): on 2 cores compiling goes on
     * for minutes after start, a cost of warming up rather than of each request. The server must run with
     * {@code -XX:-UseDynamicNumberOfCompilerThreads}, or a compiler thread that ends takes its time out of the sum.
     */
    static double cpuSecondsLessJitCompiler(long pid) throws IOException {
        double compiling = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads.toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (NoSuchFileException ended) {
                    continue;
                }
                if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).contains("CompilerThre")) {
                    compiling += cpuSeconds(stat);
                }
            }
        }
        return cpuSeconds(pid) - compiling;
    }

    private static double cpuSeconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void warnIfOlderThanClasses(Path jar) throws IOException {
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> modules = Files.list(jar.getParent().getParent().getParent())) {
            for (Path classes : modules.map(m -> m.resolve("target/classes")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(classes)) {
                    if (files.anyMatch(f -> f.toString().endsWith(".class") && lastModified(f).compareTo(built) > 0)) {
                        System.out.println("WARNING: " + jar + " is older than " + classes + ": run mvn -B -q -DskipTests package");
                        return;
                    }
                }
            }
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
