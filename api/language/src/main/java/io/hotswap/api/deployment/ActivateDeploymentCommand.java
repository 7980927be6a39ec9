package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves a queued deployment into its first stage once a concurrency slot is free. */
public record ActivateDeploymentCommand(@TargetAggregateIdentifier String deploymentId) {
}
