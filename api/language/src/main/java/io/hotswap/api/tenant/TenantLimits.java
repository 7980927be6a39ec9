package io.hotswap.api.tenant;

/** System-wide limits on tenants: {@code MAX_TENANTS} and {@code MAX_PLUGINS_PER_TENANT}. */
public record TenantLimits(int maxTenants, int maxPluginsPerTenant) {
}
