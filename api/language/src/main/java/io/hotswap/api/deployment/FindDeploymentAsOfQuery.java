package io.hotswap.api.deployment;

import java.time.Instant;

/** A deployment as {@link FindDeploymentQuery} would have answered at {@code asOf}; empty if it did not exist yet. */
public record FindDeploymentAsOfQuery(String deploymentId, String tenantId, Instant asOf) {
}
