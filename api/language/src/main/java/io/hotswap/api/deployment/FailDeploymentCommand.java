package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives up on a rollback the runtime never confirmed: the deployment ends Failed, with the reason. */
public record FailDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String reason) {
}
