package io.hotswap.ops.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Programs of the machine a test runs (bash, pg_dump, psql): a missing one fails the test and says what to install. */
public final class Commands {

    /** A finished program: its exit code and its output, stdout and stderr together. */
    public record Result(int exitCode, String output) {
    }

    private Commands() {
    }

    /** {@code command --version}'s first line; fails when the command is not there. */
    public static String requireTool(String command, String howToInstall) {
        try {
            Result version = run(List.of(command, "--version"), Map.of());
            if (version.exitCode() == 0) return version.output().lines().findFirst().orElse(command);
        } catch (IOException notFound) {
            // falls through to the failure below
        }
        throw new AssertionError(command + " is missing. " + howToInstall);
    }

    /** Runs {@code command} with extra environment variables to its end, at most two minutes. */
    public static Result run(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        try {
            // the output is small; reading it to the end also waits for the process to close it
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes:\n" + output);
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
