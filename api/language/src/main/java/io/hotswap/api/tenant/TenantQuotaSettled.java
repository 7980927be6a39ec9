package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

/**
 * A completed deployment became the stable one of its (plugin, environment). {@code replacedDeploymentId} is the
 * stable one before it (null for a first install): it no longer counts, but comes back if this one is rolled back.
 */
@Revision("1")
public record TenantQuotaSettled(String tenantId, String deploymentId, String pluginId, String pluginVersion,
                                 String environment, String replacedDeploymentId, TenantUsage usage) {
}
