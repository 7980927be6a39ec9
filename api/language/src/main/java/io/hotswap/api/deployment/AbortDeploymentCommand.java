package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops the deployment for good: its new instances go, the previous version stays, and it ends Failed. */
public record AbortDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String reason, String requestedBy) {
}
