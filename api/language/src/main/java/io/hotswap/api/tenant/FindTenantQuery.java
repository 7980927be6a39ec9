package io.hotswap.api.tenant;

public record FindTenantQuery(String tenantId) {
}
