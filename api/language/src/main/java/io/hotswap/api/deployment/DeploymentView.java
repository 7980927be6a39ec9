package io.hotswap.api.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code supersededBy}: the deployment that replaced this completed one as the stable version, if any. */
public record DeploymentView(String deploymentId, String tenantId, String pluginId, String pluginVersion,
                             String environment, DeploymentStrategy strategy, Map<String, String> strategyConfig,
                             DeploymentStatus status, int currentStage, int totalStages, int currentPercentage,
                             int totalInstances, InstanceCounts instances, String previousVersion,
                             String rollbackReason, String rolledBackBy, Instant createdAt, Instant updatedAt,
                             List<DeploymentHistoryEntry> history,
                             String supersededBy) {
}
