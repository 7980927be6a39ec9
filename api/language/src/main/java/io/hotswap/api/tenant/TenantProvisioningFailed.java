package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An attempt to provision {@code object} failed; {@code reason} says what the cluster answered. The attempt is
 * repeated at {@code nextAttemptAt}.
 */
@Revision("1")
public record TenantProvisioningFailed(String tenantId, String namespace, TenantClusterObject object, String reason,
                                       int attempt, Instant nextAttemptAt) {
}
