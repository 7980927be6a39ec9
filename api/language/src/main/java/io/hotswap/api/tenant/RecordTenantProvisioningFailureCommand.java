package io.hotswap.api.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record RecordTenantProvisioningFailureCommand(@TargetAggregateIdentifier String tenantId,
                                                     TenantClusterObject object, String reason, int attempt,
                                                     Instant nextAttemptAt) {
}
