package io.hotswap.ops.storage.s3;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class S3HealthIndicatorTest {

    @Test
    void reportsDownWithinItsTimeoutWhenTheEndpointAcceptsButNeverAnswers() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // read nothing, answer nothing
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
            try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .forcePathStyle(true).build()) {
                long started = System.nanoTime();
                Health health = new S3HealthIndicator(s3, endpoint, "plugins", Duration.ofMillis(500)).health();
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails().get("error"))
                        .isEqualTo("S3 endpoint " + endpoint + " did not answer within 500 ms");
                assertThat(took).isLessThan(Duration.ofSeconds(2));
            }
        } finally {
            for (Socket socket : held) socket.close();
        }
    }
}
