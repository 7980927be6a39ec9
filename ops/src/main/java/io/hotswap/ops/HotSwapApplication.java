package io.hotswap.ops;

import io.hotswap.ops.bench.OrchestrationBenchmark;
import io.hotswap.ops.config.HotSwapProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import java.util.Arrays;

/**
 * The HotSwap Plugin Manager server. {@code java -jar hotswap-plugin-manager.jar} starts it;
 * {@code ... migrate} only runs the database migrations (the Kubernetes Job); {@code ... token} mints a token;
 * {@code ... bench} measures orchestration (see {@link OrchestrationBenchmark}).
 */
@SpringBootApplication(scanBasePackages = "io.hotswap")
@EnableConfigurationProperties(HotSwapProperties.class)
public class HotSwapApplication {

    public static void main(String[] args) throws Exception {
        // Axon phones home unless told not to (a system property only); this server never reaches out.
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        System.setProperty("disable-axoniq-console-message", "true");
        if (args.length > 0 && args[0].equals("migrate")) {
            System.exit(Cli.migrate());
        }
        if (args.length > 0 && args[0].equals("bench")) {
            System.exit(OrchestrationBenchmark.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(Cli.token(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(HotSwapApplication.class, args);
    }
}
