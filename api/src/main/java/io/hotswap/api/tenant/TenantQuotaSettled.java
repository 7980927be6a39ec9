package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

@Revision("1")
public record TenantQuotaSettled(String tenantId, String deploymentId, String pluginId, String pluginVersion,
                                 String environment) {
}
