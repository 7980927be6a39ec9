package io.hotswap.ops.tracing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the guide's {@code Telemetry.Jaeger} settings become Spring's tracing settings, before the server starts. */
@ExtendWith(OutputCaptureExtension.class)
class JaegerTracingTest {

    private static final String HINT = "is Jaeger's legacy Thrift collector";

    @Test
    void theGuidesThriftCollectorIsExportedToAsOtlpWithOneLineSayingWhatToSet(CapturedOutput output) {
        StandardEnvironment environment = enabledWith("http://jaeger:14268/api/traces");

        assertThat(environment.getProperty("management.otlp.tracing.endpoint")).isEqualTo("http://jaeger:4318/v1/traces");
        assertThat(environment.getProperty("management.tracing.enabled")).isEqualTo("true");
        assertThat(output.getOut().lines().filter(line -> line.contains(HINT)).toList()).singleElement().asString()
                .contains("Telemetry.Jaeger.Endpoint http://jaeger:14268/api/traces is Jaeger's legacy Thrift collector, "
                        + "which takes no OTLP: spans go over OTLP to http://jaeger:4318/v1/traces instead; "
                        + "set Telemetry.Jaeger.Endpoint (TELEMETRY_JAEGER_ENDPOINT) to http://jaeger:4318/v1/traces");
    }

    @Test
    void eitherHalfOfTheThriftCollectorsAddressIsRecognised() {
        assertThat(JaegerTracing.otlpEndpoint("https://traces.example.com:14268/")).isEqualTo("https://traces.example.com:4318/v1/traces");
        assertThat(JaegerTracing.otlpEndpoint("http://jaeger/api/traces")).isEqualTo("http://jaeger:4318/v1/traces");
    }

    @Test
    void anOtlpEndpointIsTakenAsItIsAndOneWithoutAPathGetsOtlpsPath(CapturedOutput output) {
        assertThat(enabledWith("http://jaeger:4318/v1/traces").getProperty("management.otlp.tracing.endpoint"))
                .isEqualTo("http://jaeger:4318/v1/traces");
        assertThat(JaegerTracing.otlpEndpoint("http://otel-collector:4318")).isEqualTo("http://otel-collector:4318/v1/traces");
        assertThat(output.getOut()).doesNotContain(HINT);
    }

    @Test
    void everyRequestIsSampledUnlessSpringsOwnKeySaysOtherwise() {
        assertThat(configured(Map.of("Telemetry.Jaeger.Enabled", "TRUE"))
                .getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
    }

    @Test
    void springsOwnTracingKeysComeFirst() {
        StandardEnvironment environment = configured(Map.of("Telemetry.Jaeger.Enabled", "true",
                "management.tracing.sampling.probability", "0.25"));

        assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("0.25");
        assertThat(environment.getProperty("management.otlp.tracing.endpoint")).isEqualTo("http://localhost:4318/v1/traces");
    }

    @Test
    void disabledTracingLeavesOutTracingsAutoConfigurationsBesideTheOnesAlreadyLeftOut() {
        StandardEnvironment environment = configured(Map.of("Telemetry.Jaeger.Enabled", "false",
                "spring.autoconfigure.exclude", "com.example.SomeAutoConfiguration"));

        assertThat(environment.getProperty("spring.autoconfigure.exclude")).startsWith("com.example.SomeAutoConfiguration,")
                .contains("org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration",
                        "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
                        "org.springframework.boot.actuate.autoconfigure.tracing.otlp.OtlpTracingAutoConfiguration",
                        "org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration");
        assertThat(environment.getProperty("management.tracing.enabled")).isEqualTo("false");
        assertThat(environment.getProperty("management.otlp.tracing.endpoint")).isNull();
    }

    @Test
    void valuesThatAreNoSettingAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> configured(Map.of("Telemetry.Jaeger.Enabled", "yes")))
                .hasMessage("Telemetry.Jaeger.Enabled is 'yes'; it can be true or false");
        assertThatThrownBy(() -> configured(Map.of("Telemetry.Jaeger.Enabled", "true", "Telemetry.Jaeger.Endpoint", "jaeger:4318")))
                .hasMessage("Telemetry.Jaeger.Endpoint is 'jaeger:4318'; it must be an http(s) URL such as http://jaeger:4318/v1/traces");
    }

    private static StandardEnvironment enabledWith(String endpoint) {
        return configured(Map.of("Telemetry.Jaeger.Enabled", "true", "Telemetry.Jaeger.Endpoint", endpoint));
    }

    /** The environment as JaegerTracing leaves it, its deferred log lines written out as at the server's start. */
    private static StandardEnvironment configured(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        DeferredLogs logs = new DeferredLogs();
        new JaegerTracing(logs).postProcessEnvironment(environment, new SpringApplication());
        logs.switchOverAll();
        return environment;
    }
}
