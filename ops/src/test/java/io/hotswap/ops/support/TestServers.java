package io.hotswap.ops.support;

import io.hotswap.ops.HotSwapApplication;
import io.hotswap.ops.security.TokenIssuer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whole servers started in the test JVM from explicit arguments, for tests that need two at once or a restart (a
 * {@link ServerTest} has exactly one). Close them when done.
 */
public final class TestServers {

    private TestServers() {
    }

    /** A server on random ports, configured by {@code arguments} ({@code --spring.datasource.url=...}, ...). */
    public static ConfigurableApplicationContext start(String... arguments) {
        return start(HotSwapApplication.class, arguments);
    }

    /** The same with one more configuration or controller, from a package the server does not scan. */
    public static ConfigurableApplicationContext start(Class<?> extra, String... arguments) {
        return new SpringApplicationBuilder(HotSwapApplication.class, extra).run(Stream.concat(
                Stream.of("--server.port=0", "--management.server.port=0"), Stream.of(arguments)).toArray(String[]::new));
    }

    public static Http http(ConfigurableApplicationContext server) {
        return new Http(Integer.parseInt(server.getEnvironment().getProperty("local.server.port")));
    }

    /** A platform-admin token this server accepts, for an hour. */
    public static String admin(ConfigurableApplicationContext server) {
        return server.getBean(TokenIssuer.class).issue("admin", List.of("platform-admin"), null, Duration.ofHours(1));
    }
}
