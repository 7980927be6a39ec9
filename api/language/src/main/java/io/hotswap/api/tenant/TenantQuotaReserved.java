package io.hotswap.api.tenant;

import io.hotswap.api.plugin.PluginDependency;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * A deployment holds part of its tenant's quotas. {@code cpu} and {@code memoryGB} are what its {@code instances}
 * hold once it is the stable version; {@code inFlightCpu} and {@code inFlightMemoryGB} what it adds while it runs,
 * on top of {@code replacesDeploymentId}, the stable deployment it replaces (null for a first install). Events
 * stored before the in-flight figures were recorded have them null: they held {@code cpu} and {@code memoryGB}.
 */
@Revision("1")
public record TenantQuotaReserved(String tenantId, String deploymentId, String pluginId, String pluginVersion,
                                  String environment, double cpu, double memoryGB, List<PluginDependency> dependencies,
                                  TenantUsage usage, Integer instances, Double inFlightCpu, Double inFlightMemoryGB,
                                  String replacesDeploymentId) {
}
