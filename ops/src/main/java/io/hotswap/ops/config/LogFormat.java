package io.hotswap.ops.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * {@code Logging.Format} ({@code LOGGING_FORMAT}): {@code text}, the default, or {@code json}: one JSON object a line
 * on stdout (Elastic Common Schema, for Fluent Bit), with the log context (correlation id, tenant, deployment) as
 * fields. Spring Boot's own {@code logging.structured.format.console}, when set, comes first. This runs before the
 * logging system starts, which reads the setting once.
 */
public class LogFormat implements EnvironmentPostProcessor {

    static final String KEY = "Logging.Format";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(KEY, "text");
        switch (format.toLowerCase()) {
            case "text" -> { }
            case "json" -> environment.getPropertySources().addLast(new MapPropertySource(KEY,
                    Map.of("logging.structured.format.console", "ecs")));
            default -> throw new IllegalArgumentException(KEY + " is '" + format + "'; it can be text or json");
        }
    }
}
