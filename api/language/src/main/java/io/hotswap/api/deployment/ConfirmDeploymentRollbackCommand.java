package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sent once the runtime confirms the instances run the rollback target again (or none remain). */
public record ConfirmDeploymentRollbackCommand(@TargetAggregateIdentifier String deploymentId) {
}
