package io.hotswap.api.tenant;

import io.hotswap.api.plugin.PluginDependency;
import org.axonframework.serialization.Revision;

import java.util.List;

@Revision("1")
public record TenantQuotaReserved(String tenantId, String deploymentId, String pluginId, String pluginVersion,
                                  String environment, double cpu, double memoryGB, List<PluginDependency> dependencies,
                                  TenantUsage usage) {
}
