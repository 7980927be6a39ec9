package io.hotswap.ops;

import io.hotswap.ops.bench.OrchestrationBenchmark;
import io.hotswap.ops.config.HotSwapProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The HotSwap Plugin Manager server. {@code java -jar hotswap-plugin-manager.jar [--Key=value ...]} starts it;
 * {@code ... migrate} only runs the database migrations (the Kubernetes Job); {@code ... token} mints a token;
 * {@code ... verify-binaries} checks the stored binaries against the catalogue's checksums;
 * {@code ... bench} measures orchestration (see {@link OrchestrationBenchmark}); {@code ... help} lists them. A
 * command never starts the web server; anything else that is not an option is refused with the usage ({@link Cli}).
 */
@SpringBootApplication(scanBasePackages = "io.hotswap")
@EnableConfigurationProperties(HotSwapProperties.class)
public class HotSwapApplication {

    public static void main(String[] args) throws Exception {
        // Axon phones home unless told not to (a system property only); this server never reaches out.
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        System.setProperty("disable-axoniq-console-message", "true");
        if (!Cli.startsServer(args)) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        SpringApplication.run(HotSwapApplication.class, args);
    }
}
