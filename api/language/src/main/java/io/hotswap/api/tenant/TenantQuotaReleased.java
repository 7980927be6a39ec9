package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

/**
 * A deployment that ended without becoming stable (or a stable one rolled back) no longer holds its quota.
 * {@code reinstatedDeploymentId}: the stable deployment that counts again because this one had replaced it.
 * {@code stableDeploymentId}: the stable deployment of the plugin and environment from now on, in charge of its
 * instances again (null when none is left, and in events stored before it was recorded).
 */
@Revision("1")
public record TenantQuotaReleased(String tenantId, String deploymentId, double cpu, double memoryGB,
                                  String reinstatedDeploymentId, TenantUsage usage, String stableDeploymentId) {
}
