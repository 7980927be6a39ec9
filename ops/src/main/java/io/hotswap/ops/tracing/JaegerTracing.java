package io.hotswap.ops.tracing;

import org.apache.commons.logging.Log;
import org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.NoopTracerAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The guide's {@code Telemetry.Jaeger.Enabled} ({@code TELEMETRY_JAEGER_ENABLED}) and {@code Telemetry.Jaeger.Endpoint}
 * ({@code TELEMETRY_JAEGER_ENDPOINT}) as Spring Boot's tracing settings. Enabled, every request is traced and its spans
 * go over OTLP (HTTP/protobuf) to the endpoint, which Jaeger takes on port 4318 at {@code /v1/traces}; Spring's own
 * {@code management.tracing.*} and {@code management.otlp.tracing.*} keys, when set, come first. Disabled, the
 * default, the tracing auto-configurations (Spring's and Axon's) do not run at all: no tracer, no span, no exporter.
 *
 * <p>The guide shows Jaeger's legacy Thrift collector ({@code http://jaeger:14268/api/traces}), which takes no OTLP:
 * such an endpoint is exported to as the same host's OTLP endpoint, and one line at start says what to set instead.
 */
public class JaegerTracing implements EnvironmentPostProcessor {

    static final String ENABLED = "Telemetry.Jaeger.Enabled";
    static final String ENDPOINT = "Telemetry.Jaeger.Endpoint";
    private static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";
    private static final String OTLP_PATH = "/v1/traces";
    private static final int OTLP_PORT = 4318;
    private static final int THRIFT_PORT = 14268;
    private static final String THRIFT_PATH = "/api/traces";
    private static final String EXCLUDE = "spring.autoconfigure.exclude";
    private static final List<Class<?>> TRACING_AUTO_CONFIGURATIONS = List.of(OpenTelemetryTracingAutoConfiguration.class,
            MicrometerTracingAutoConfiguration.class, NoopTracerAutoConfiguration.class,
            OtlpTracingAutoConfiguration.class, OpenTelemetryAutoConfiguration.class);

    private final Log log;

    public JaegerTracing(DeferredLogFactory logs) {
        this.log = logs.getLog(JaegerTracing.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!enabled(environment.getProperty(ENABLED, "false"))) {
            List<String> excluded = new ArrayList<>(Binder.get(environment)
                    .bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
            TRACING_AUTO_CONFIGURATIONS.forEach(configuration -> excluded.add(configuration.getName()));
            environment.getPropertySources().addFirst(new MapPropertySource(ENABLED, Map.of(
                    EXCLUDE, String.join(",", excluded), "management.tracing.enabled", "false")));
            return;
        }
        String configured = environment.getProperty(ENDPOINT, DEFAULT_ENDPOINT);
        String otlp = otlpEndpoint(configured);
        if (isThriftCollector(configured)) {
            log.warn(ENDPOINT + " " + configured + " is Jaeger's legacy Thrift collector, which takes no OTLP: "
                    + "spans go over OTLP to " + otlp + " instead; set " + ENDPOINT + " (TELEMETRY_JAEGER_ENDPOINT) to "
                    + otlp + " to say so");
        }
        environment.getPropertySources().addLast(new MapPropertySource(ENABLED, Map.of(
                "management.tracing.enabled", "true",
                "management.tracing.sampling.probability", "1.0",
                "management.otlp.tracing.endpoint", otlp,
                // W3C trace context alone: nothing here reads or sets baggage, which costs at every span and scope
                "management.tracing.baggage.enabled", "false")));
    }

    private static boolean enabled(String value) {
        return switch (value.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(ENABLED + " is '" + value + "'; it can be true or false");
        };
    }

    /**
     * Where spans go for a configured endpoint: Jaeger's Thrift collector becomes the same host's OTLP endpoint, an
     * endpoint without a path gets OTLP's {@code /v1/traces}, any other is taken as it is.
     */
    static String otlpEndpoint(String configured) {
        URI uri = parse(configured);
        if (isThriftCollector(configured)) return rebuilt(uri, OTLP_PORT, OTLP_PATH);
        if (uri.getPath().isEmpty() || uri.getPath().equals("/")) return rebuilt(uri, uri.getPort(), OTLP_PATH);
        return uri.toString();
    }

    static boolean isThriftCollector(String configured) {
        URI uri = parse(configured);
        return uri.getPort() == THRIFT_PORT || uri.getPath().equals(THRIFT_PATH);
    }

    private static URI parse(String configured) {
        try {
            URI uri = new URI(configured.trim());
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) return uri;
        } catch (URISyntaxException malformed) {
            // said below
        }
        throw new IllegalArgumentException(ENDPOINT + " is '" + configured + "'; it must be an http(s) URL such as "
                + "http://jaeger:" + OTLP_PORT + OTLP_PATH);
    }

    private static String rebuilt(URI uri, int port, String path) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), port, path, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ENDPOINT + " is '" + uri + "'", e);
        }
    }
}
