package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CompleteDeploymentCommand(@TargetAggregateIdentifier String deploymentId) {
}
