package io.hotswap.api.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A completed deployment becomes the stable one of its (plugin, environment): its reservation stays, the one it
 * replaced is released.
 */
public record SettleDeploymentQuotaCommand(@TargetAggregateIdentifier String tenantId, String deploymentId) {
}
