package io.hotswap.ops.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kafka} in {@code /health}: UP when the cluster answers within {@link #TIMEOUT}, DOWN otherwise. The bound
 * matters: an unreachable broker must not hold {@code /health} (and whoever polls it) for the client's default minute.
 * Kafka is not part of readiness: REST writes do not depend on it, the event stream catches up once it is back.
 */
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int TIMEOUT_MS = (int) TIMEOUT.toMillis();

    private final String bootstrapServers;
    private final Admin admin;

    public KafkaHealthIndicator(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                AdminClientConfig.CLIENT_ID_CONFIG, "hotswap-plugin-manager-health"));
    }

    @Override
    public Health health() {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
        try {
            // the admin client fails the call itself after TIMEOUT; the wait here only guards against it not doing so
            long waitMs = TIMEOUT_MS + 500L;
            int brokers = cluster.nodes().get(waitMs, TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("bootstrapServers", bootstrapServers)
                    .withDetail("clusterId", cluster.clusterId().get(waitMs, TimeUnit.MILLISECONDS))
                    .withDetail("brokers", brokers).build();
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return Health.down().withDetail("bootstrapServers", bootstrapServers)
                    .withDetail("error", "Kafka did not answer within " + TIMEOUT.toSeconds() + " s ("
                            + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted while asking Kafka").build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(1));
    }
}
