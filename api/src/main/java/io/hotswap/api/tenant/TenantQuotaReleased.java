package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

/** {@code reinstatedDeploymentId}: the stable deployment that counts again because this one replaced it. */
@Revision("1")
public record TenantQuotaReleased(String tenantId, String deploymentId, double cpu, double memoryGB,
                                  String reinstatedDeploymentId, TenantUsage usage) {
}
