package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

@Revision("1")
public record TenantCreated(String tenantId, String name, String namespace, TenantQuotas quotas) {
}
