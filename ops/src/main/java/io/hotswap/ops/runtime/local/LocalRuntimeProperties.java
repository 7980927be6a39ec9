package io.hotswap.ops.runtime.local;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * The local runtime's settings: plugin processes start with {@code Runtime.JavaOptions} at nice level
 * {@code Runtime.Niceness}, so that plugins starting up never starve the server's deadlines and health checks.
 */
@ConfigurationProperties("runtime")
public record LocalRuntimeProperties(
        @DefaultValue({"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"}) List<String> javaOptions,
        @DefaultValue("10") int niceness) {
}
