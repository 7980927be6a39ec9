package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

@Revision("1")
public record TenantQuotaReserved(String tenantId, String deploymentId, String pluginId, String pluginVersion,
                                  String environment, double cpu, double memoryGB, TenantUsage usage) {
}
