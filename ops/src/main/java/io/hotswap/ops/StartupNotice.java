package io.hotswap.ops;

import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.ops.security.TokenIssuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Tells whoever started the server where it listens and how to get a token. It writes a platform-admin token,
 * valid 24 hours, to {@code <data>/admin-token} (readable by the owner only) so the guide's curls work at once.
 */
@Component
class StartupNotice {

    private static final Logger log = LoggerFactory.getLogger(StartupNotice.class);

    private final HotSwapProperties properties;
    private final TokenIssuer tokens;
    private final Environment environment;

    StartupNotice(HotSwapProperties properties, TokenIssuer tokens, Environment environment) {
        this.properties = properties;
        this.tokens = tokens;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() throws IOException {
        Path tokenFile = properties.data().directory().resolve("admin-token");
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(tokenFile, tokens.issue("admin", List.of("platform-admin"), null, Duration.ofHours(24)));
        tokenFile.toFile().setReadable(false, false);
        tokenFile.toFile().setReadable(true, true);
        String port = environment.getProperty("local.server.port", "8080");
        log.info("""

                  HotSwap Plugin Manager is ready at http://localhost:{}/api/v1  (health: http://localhost:{}/health)
                  A platform-admin token for the next 24 hours:  export TOKEN=$(cat {})
                  Any other token:  java -jar ops/target/hotswap-plugin-manager.jar token --sub alice --roles tenant-admin --tenant tenant-acme-corp
                """, port, port, tokenFile.toAbsolutePath());
    }
}
