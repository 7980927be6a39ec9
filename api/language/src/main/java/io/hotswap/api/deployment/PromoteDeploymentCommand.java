package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Skips the remaining stages: straight to 100 %. */
public record PromoteDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String requestedBy) {
}
