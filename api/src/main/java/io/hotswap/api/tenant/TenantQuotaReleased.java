package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

@Revision("1")
public record TenantQuotaReleased(String tenantId, String deploymentId, double cpu, double memoryGB,
                                  TenantUsage usage) {
}
