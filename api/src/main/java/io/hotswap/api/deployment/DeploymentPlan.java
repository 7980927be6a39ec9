package io.hotswap.api.deployment;

import java.util.List;

/** What a strategy compiles to: the steps, and how health is judged while they run. */
public record DeploymentPlan(DeploymentStrategy strategy, List<DeploymentStep> steps, int healthCheckIntervalSeconds,
                             int failureThreshold, int progressDeadlineSeconds) {

    public DeploymentPlan {
        steps = List.copyOf(steps);
    }
}
