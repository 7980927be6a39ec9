package io.hotswap.ops.metrics;

import io.hotswap.query.deployment.DeploymentBoard;
import io.hotswap.query.deployment.DeploymentBoard.RunningInstances;
import io.hotswap.query.deployment.DeploymentBoard.UnderWay;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the alerts PluginUnhealthy and PluginDeploymentStuck need, read from the deployment board at each scrape:
 * <ul>
 * <li>{@code plugin_instances_unhealthy{tenant,plugin,environment}}: instances of each running plugin whose latest
 * health check found them failing (unhealthy, not answering, exited, crash-looping); 0 when all are well. No instance
 * ids as labels: one series per plugin and environment of a tenant.</li>
 * <li>{@code plugin_deployment_last_event_timestamp_seconds{deployment_id,tenant,plugin,environment,status}} for each
 * deployment under way (neither ended nor paused): the time of its last event, so that {@code time() - ...} says how
 * long it has not moved. A tenant has at most one deployment under way per plugin and environment.</li>
 * </ul>
 */
@Component
class DeploymentBoardMetrics extends ReadModelGauges {

    private final DeploymentBoard board;

    DeploymentBoardMetrics(DeploymentBoard board, ObjectProvider<PrometheusRegistry> prometheus) {
        this.board = board;
        registerWith(prometheus);
    }

    @Override
    MetricSnapshots read() {
        return MetricSnapshots.of(unhealthyInstances(board.runningInstances()), lastEvents(board.underWay()));
    }

    private static GaugeSnapshot unhealthyInstances(List<RunningInstances> running) {
        // a plugin's old and new version both run while a newer deployment rolls out: one series for the two
        Map<List<String>, Long> byPlugin = new LinkedHashMap<>();
        for (RunningInstances deployment : running) {
            long failing = deployment.instances().stream().filter(instance -> instance.state().isFailure()).count();
            byPlugin.merge(List.of(deployment.tenantId(), deployment.pluginId(), deployment.environment()), failing,
                    Long::sum);
        }
        GaugeSnapshot.Builder gauge = gauge("plugin_instances_unhealthy",
                "Instances of the plugin whose latest health check found them failing");
        byPlugin.forEach((plugin, failing) -> gauge.dataPoint(point(failing,
                "tenant", plugin.get(0), "plugin", plugin.get(1), "environment", plugin.get(2))));
        return gauge.build();
    }

    private static GaugeSnapshot lastEvents(List<UnderWay> underWay) {
        GaugeSnapshot.Builder gauge = gauge("plugin_deployment_last_event_timestamp_seconds",
                "When the deployment, neither ended nor paused, last had an event (Unix time)");
        for (UnderWay deployment : underWay) {
            gauge.dataPoint(point(deployment.lastEventAt().toEpochMilli() / 1000.0,
                    "deployment_id", deployment.deploymentId(), "tenant", deployment.tenantId(),
                    "plugin", deployment.pluginId(), "environment", deployment.environment(),
                    "status", deployment.status().name()));
        }
        return gauge.build();
    }
}
