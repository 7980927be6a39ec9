package io.hotswap.ops.support;

import io.hotswap.ops.HotSwapApplication;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link HotSwapApplication#main} in a JVM of its own, on the test classpath: what {@code java -jar
 * hotswap-plugin-manager.jar ...} runs, without needing the packaged jar. Relative paths ({@code ./data}) resolve
 * against the given working directory.
 */
public final class MainProcess {

    /** A finished run: its exit code and what it printed. */
    public record Result(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private MainProcess() {
    }

    /** Runs {@code args} in {@code directory} to the end (at most two minutes). */
    public static Result run(Path directory, String... args) throws IOException, InterruptedException {
        return run(directory, Map.of(), args);
    }

    /** The same with extra environment variables, as an operator would set them. */
    public static Result run(Path directory, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("main-out", ".txt");
        Path err = Files.createTempFile("main-err", ".txt");
        try {
            ProcessBuilder builder = builder(directory, args);
            builder.environment().putAll(environment);
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("still running after two minutes: " + String.join(" ", args)
                        + "\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts {@code args} in {@code directory} in the background, its output appended to {@code log}. */
    public static Process start(Path directory, Path log, String... args) throws IOException {
        return start(directory, log, Map.of(), args);
    }

    /** The same with extra environment variables: settings only read from there (fabric8's, for one). */
    public static Process start(Path directory, Path log, Map<String, String> environment, String... args)
            throws IOException {
        ProcessBuilder builder = builder(directory, args);
        builder.environment().putAll(environment);
        return builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ProcessBuilder builder(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "-Xmx384m", HotSwapApplication.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        // the embedded default: no database, secret or data directory from the test's environment
        builder.environment().keySet().removeAll(List.of("DB_CONNECTION_STRING", "JWT_SECRET", "DATA_DIRECTORY",
                "SERVER_PORT", "REDIS_CONNECTION_STRING", "KAFKA_BOOTSTRAP_SERVERS", "STORAGE_ENDPOINT"));
        return builder;
    }
}
