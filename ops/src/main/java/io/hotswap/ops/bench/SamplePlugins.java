package io.hotswap.ops.bench;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Small real plugin JARs, compiled on the spot (the server runs on a JDK), for benchmarks and tests: each serves {@code GET /health} on {@code $PLUGIN_PORT} with the JDK's
 * HTTP server. {@link #healthy()} answers 200, {@link #failing()} answers 500, {@link #neverReady()} never listens,
 * {@link #exitingWhile(Path)} answers 200 but exits at once while a file exists, {@link #unhealthyWhile(Path)} answers
 * 500 while a file exists.
 */
public final class SamplePlugins {

    private SamplePlugins() {
    }

    public static byte[] healthy() {
        return plugin("200", true, null);
    }

    public static byte[] failing() {
        return plugin("500", true, null);
    }

    public static byte[] neverReady() {
        return plugin("200", false, null);
    }

    /** Healthy, but exits with code 3 as soon as it starts while {@code crashMarker} exists: a crash loop on demand. */
    public static byte[] exitingWhile(Path crashMarker) {
        return plugin("200", true, crashMarker);
    }

    /** Answers 500 while {@code unhealthyMarker} exists and 200 otherwise: health that turns bad, and good, on demand. */
    public static byte[] unhealthyWhile(Path unhealthyMarker) {
        return plugin(exists(unhealthyMarker) + " ? 500 : 200", true, null);
    }

    /** The plugin's Java expression for "this file exists". */
    private static String exists(Path file) {
        return "java.nio.file.Files.exists(java.nio.file.Path.of(\"" + file.toAbsolutePath() + "\"))";
    }

    /** {@code status}: a Java expression, evaluated at each health check. */
    private static byte[] plugin(String status, boolean listens, Path crashMarker) {
        String crash = crashMarker == null ? ""
                : "if (" + exists(crashMarker) + ") System.exit(3);";
        String source = """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;

                public class Plugin {
                    public static void main(String[] args) throws Exception {
                        CRASH
                        if (!%s) { Thread.sleep(Long.MAX_VALUE); }
                        int port = Integer.parseInt(System.getenv("PLUGIN_PORT"));
                        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                        server.createContext("/health", exchange -> {
                            int status = %s;
                            byte[] body = (System.getenv("PLUGIN_VERSION") + " " + status).getBytes();
                            exchange.sendResponseHeaders(status, body.length);
                            exchange.getResponseBody().write(body);
                            exchange.close();
                        });
                        server.start();
                    }
                }
                """.formatted(listens, status).replace("CRASH", crash);
        try {
            Path dir = Files.createTempDirectory("sample-plugin");
            Path java = Files.writeString(dir.resolve("Plugin.java"), source);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            if (compiler.run(null, null, null, "-d", dir.toString(), java.toString()) != 0) {
                throw new IllegalStateException("sample plugin did not compile");
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Plugin");
            ByteArrayOutputStream jar = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(jar, manifest)) {
                out.putNextEntry(new JarEntry("Plugin.class"));
                out.write(Files.readAllBytes(dir.resolve("Plugin.class")));
                out.closeEntry();
            }
            return jar.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the three plugins to a folder, for trying the server by hand. */
    public static void writeTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("healthy.jar"), healthy());
        Files.write(folder.resolve("failing.jar"), failing());
        Files.write(folder.resolve("never-ready.jar"), neverReady());
    }
}
