package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Lets a paused deployment continue from its current stage. */
public record ResumeDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String requestedBy) {
}
