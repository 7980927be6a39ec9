package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code kubernetes} health component against fabric8's mock API server and against clusters that do not answer. */
class KubernetesHealthIndicatorTest {

    @Test
    void upWithTheClustersVersionWhenTheApiServerAnswers() {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("31").build());
        server.init();
        try (KubernetesClient client = server.createClient()) {

            Health health = new KubernetesHealthIndicator(client).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("version", "1.31");
        } finally {
            server.destroy();
        }
    }

    @Test
    void downWithTheReasonWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (KubernetesClient client = clientFor("https://127.0.0.1:" + port)) {
            Health health = new KubernetesHealthIndicator(client).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error").toString()).contains("ConnectException");
        }
    }

    /** An API server that accepts connections and never answers must not hold /health for the client's timeouts. */
    @Test
    void downWithinItsBoundWhenTheApiServerDoesNotAnswer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0);
             KubernetesClient client = clientFor("https://127.0.0.1:" + silent.getLocalPort())) {
            Instant start = Instant.now();
            Health health = new KubernetesHealthIndicator(client).health();

            assertThat(Duration.between(start, Instant.now())).isLessThan(KubernetesHealthIndicator.TIMEOUT.plusSeconds(1));
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error").toString()).contains("did not answer within 2 s");
        }
    }

    private static KubernetesClient clientFor(String url) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withTrustCerts(true)
                .withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
