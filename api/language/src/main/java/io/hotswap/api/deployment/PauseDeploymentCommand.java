package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Holds the deployment at its current stage; health checks go on. */
public record PauseDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String requestedBy) {
}
