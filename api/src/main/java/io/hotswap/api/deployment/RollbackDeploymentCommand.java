package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code automatic} is true when the system, not a person, decided to roll back. */
public record RollbackDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String reason,
                                        String requestedBy, boolean automatic) {
}
