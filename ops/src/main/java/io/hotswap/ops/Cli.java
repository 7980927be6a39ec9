package io.hotswap.ops;

import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.ops.database.DatabaseConfig;
import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import org.flywaydb.core.Flyway;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.io.Closeable;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The commands beside the server. They read the same configuration (application.yml, environment) as the server. */
final class Cli {

    /** Binds the configuration and nothing else: no web server, no Axon. */
    @EnableConfigurationProperties(HotSwapProperties.class)
    static class Settings {
    }

    private Cli() {
    }

    /** Applies the Flyway migrations to the configured database and exits: what the Kubernetes Job runs. */
    static int migrate() throws Exception {
        try (ConfigurableApplicationContext context = settings()) {
            Environment env = context.getEnvironment();
            DataSource dataSource = DatabaseConfig.standalone(env.getProperty("spring.datasource.url"),
                    env.getProperty("DB_CONNECTION_STRING"), context.getBean(HotSwapProperties.class).data());
            try {
                var result = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                        .cleanDisabled(true).load().migrate();
                System.out.println("Applied " + result.migrationsExecuted + " migration(s); schema is at version "
                        + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
                return 0;
            } finally {
                if (dataSource instanceof Closeable closeable) closeable.close();
            }
        }
    }

    /**
     * Prints a token: {@code token --sub alice --roles tenant-admin --tenant tenant-acme-corp --hours 8}.
     * Without options: a platform-admin token for "admin", valid 24 hours.
     */
    static int token(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                System.err.println("usage: token [--sub NAME] [--roles r1,r2] [--tenant TENANT_ID] [--hours N]");
                return 2;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        try (ConfigurableApplicationContext context = settings()) {
            HotSwapProperties properties = context.getBean(HotSwapProperties.class);
            TokenIssuer issuer = new TokenIssuer(
                    JwtKeys.resolve(properties.authentication().jwtSecret(), properties.data().directory()),
                    properties.authentication().jwtIssuer(), properties.authentication().jwtAudience());
            List<String> roles = Arrays.asList(options.getOrDefault("roles", "platform-admin").split(","));
            System.out.println(issuer.issue(options.getOrDefault("sub", "admin"), roles, options.get("tenant"),
                    Duration.ofHours(Long.parseLong(options.getOrDefault("hours", "24")))));
            return 0;
        }
    }

    private static ConfigurableApplicationContext settings() {
        return new SpringApplicationBuilder(Settings.class).web(WebApplicationType.NONE)
                .logStartupInfo(false).bannerMode(org.springframework.boot.Banner.Mode.OFF).run();
    }
}
