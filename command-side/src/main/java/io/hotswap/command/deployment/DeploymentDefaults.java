package io.hotswap.command.deployment;

import io.hotswap.api.deployment.DeploymentStrategy;

/** Configured defaults a deployment falls back on when its request leaves them out. */
public record DeploymentDefaults(DeploymentStrategy strategy, int healthCheckIntervalSeconds, int failureThreshold,
                                 int progressDeadlineSeconds, int maxInstances) {
}
