package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

/** One of the tenant's objects exists in its namespace as desired (created, or patched to the desired state). */
@Revision("1")
public record TenantClusterObjectProvisioned(String tenantId, String namespace, TenantClusterObject object) {
}
