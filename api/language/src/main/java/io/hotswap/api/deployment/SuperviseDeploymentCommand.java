package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Puts a completed deployment that nothing supervises (one completed by an earlier build) under supervision. */
public record SuperviseDeploymentCommand(@TargetAggregateIdentifier String deploymentId) {
}
