package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * {@code automatic} is true when the system, not a person, decided to roll back. {@code removePlugin} confirms that
 * rolling back a completed first install, which restores nothing, is meant to take the plugin down.
 */
public record RollbackDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String reason,
                                        String requestedBy, boolean automatic,
                                        boolean removePlugin) {
}
