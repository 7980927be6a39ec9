package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

import java.util.Map;

/** {@code previousVersion} is the stable version this one replaces (the rollback target); null for a first install. */
@Revision("1")
public record DeploymentStarted(String deploymentId, String tenantId, String pluginId, String pluginVersion,
                                String environment, Map<String, String> strategyConfig, DeploymentPlan plan,
                                int totalInstances, String previousVersion) {
}
