package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kubernetes} in {@code /health}: UP with the cluster's version when its API server answers within
 * {@link #TIMEOUT}, DOWN with the reason otherwise. The bound matters: a cluster that does not answer must not hold
 * {@code /health} for the client's own timeouts.
 */
public class KubernetesHealthIndicator implements HealthIndicator {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final KubernetesClient client;

    public KubernetesHealthIndicator(KubernetesClient cluster) {
        // without the client's retries a refused connection is reported as such, not as the bound running out; the
        // request's own timeout lies beyond the bound, which stays the one that speaks for a silent API server
        this.client = KubernetesConfig.oneAttempt(cluster, TIMEOUT.plusSeconds(1));
    }

    @Override
    public Health health() {
        String server = client.getMasterUrl().toString();
        try {
            VersionInfo version = CompletableFuture.supplyAsync(client::getKubernetesVersion)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up().withDetail("server", server)
                    .withDetail("version", version.getMajor() + "." + version.getMinor()).build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("server", server)
                    .withDetail("error", "the API server did not answer within " + TIMEOUT.toSeconds() + " s").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("server", server).withDetail("error", describe(e.getCause())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted while asking the API server").build();
        }
    }

    /** The client's own message is generic ("An error has occurred."): the causes below it say what happened. */
    private static String describe(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (!chain.isEmpty()) chain.append(" <- ");
            chain.append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) chain.append(": ").append(cause.getMessage());
        }
        return chain.toString();
    }
}
