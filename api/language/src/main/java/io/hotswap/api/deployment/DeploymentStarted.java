package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

import java.util.Map;

/**
 * {@code previousVersion} is the stable version this one replaces (the rollback target) and {@code previousInstances}
 * how many instances of it ran; both null for a first install ({@code previousInstances} is also null in events
 * stored before it was recorded: the rollback then restores {@code totalInstances}).
 */
@Revision("1")
public record DeploymentStarted(String deploymentId, String tenantId, String pluginId, String pluginVersion,
                                String environment, Map<String, String> strategyConfig, DeploymentPlan plan,
                                int totalInstances, String previousVersion,
                                Integer previousInstances) {
}
