package io.hotswap.api.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives back what a deployment reserved; a no-op for a reservation the tenant does not hold. */
public record ReleaseDeploymentQuotaCommand(@TargetAggregateIdentifier String tenantId, String deploymentId) {
}
