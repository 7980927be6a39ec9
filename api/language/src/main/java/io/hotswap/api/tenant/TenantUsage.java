package io.hotswap.api.tenant;

/** What a tenant's deployments hold right now, in the units of {@link TenantQuotas}. */
public record TenantUsage(int plugins, double cpu, double memoryGB) {

    public static final TenantUsage NONE = new TenantUsage(0, 0, 0);
}
