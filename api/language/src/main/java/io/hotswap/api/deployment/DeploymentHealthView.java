package io.hotswap.api.deployment;

import java.time.Instant;
import java.util.List;

/**
 * The latest check of a deployment's instances and when it was made ({@code checkedAt}): {@code overall} is one of
 * {@link OverallHealth}, {@code Unknown} before the first check and once a newer deployment superseded this one.
 */
public record DeploymentHealthView(String deploymentId, DeploymentStatus status, String overall,
                                   int consecutiveFailures, Instant checkedAt, List<InstanceHealth> instances) {
}
