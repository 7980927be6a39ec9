package io.hotswap.ops.metrics;

import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.deployment.DeploymentStarted;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code plugin_deployments_total{status}} (started, completed, rolled_back, failed) and
 * {@code plugin_deployments_duration_seconds} from start to end, as the guide's dashboards expect.
 */
@Component
@ProcessingGroup("deployment-metrics")
class DeploymentMetrics {

    private final MeterRegistry metrics;
    private final EventStore events;

    DeploymentMetrics(MeterRegistry metrics, EventStore events) {
        this.metrics = metrics;
        this.events = events;
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentStarted event) {
        metrics.counter("plugin.deployments", "status", "started").increment();
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentCompleted event, @Timestamp Instant at) {
        ended(event.deploymentId(), "completed", at);
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentRolledBack event, @Timestamp Instant at) {
        ended(event.deploymentId(), "rolled_back", at);
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentFailed event, @Timestamp Instant at) {
        ended(event.deploymentId(), "failed", at);
    }

    private void ended(String deploymentId, String status, Instant at) {
        metrics.counter("plugin.deployments", "status", status).increment();
        Instant started = events.readEvents(deploymentId).asStream().findFirst().map(e -> e.getTimestamp()).orElse(at);
        metrics.timer("plugin.deployments.duration", "status", status).record(Duration.between(started, at));
    }
}
