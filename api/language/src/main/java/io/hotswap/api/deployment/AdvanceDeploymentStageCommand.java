package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves to step {@code stage} (zero-based) of the plan; repeating the current stage is a no-op. */
public record AdvanceDeploymentStageCommand(@TargetAggregateIdentifier String deploymentId, int stage) {
}
