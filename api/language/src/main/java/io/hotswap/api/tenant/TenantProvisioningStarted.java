package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

/**
 * A tenant created while the server runs on Kubernetes: it stays {@code Provisioning} until every
 * {@link TenantClusterObject} exists in {@code namespace}. Tenants created without it were active at once.
 */
@Revision("1")
public record TenantProvisioningStarted(String tenantId, String namespace, TenantQuotas quotas) {
}
