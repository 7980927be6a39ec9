package io.hotswap.api.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordTenantClusterObjectProvisionedCommand(@TargetAggregateIdentifier String tenantId,
                                                          TenantClusterObject object) {
}
