package io.hotswap.sagas.tenant;

import io.hotswap.api.tenant.TenantQuotas;

/** What the cluster objects of a tenant are made from. */
public record TenantSpec(String tenantId, String namespace, TenantQuotas quotas) {
}
