package io.hotswap.api.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateTenantCommand(@TargetAggregateIdentifier String tenantId, String name, String namespace,
                                  TenantQuotas quotas) {
}
