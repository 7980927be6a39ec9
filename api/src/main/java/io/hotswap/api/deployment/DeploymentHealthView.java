package io.hotswap.api.deployment;

import java.time.Instant;
import java.util.List;

/** {@code overall} is Healthy, Unhealthy or Unknown (no check recorded yet). */
public record DeploymentHealthView(String deploymentId, DeploymentStatus status, String overall,
                                   int consecutiveFailures, Instant checkedAt, List<InstanceHealth> instances) {
}
