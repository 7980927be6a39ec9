package io.hotswap.api.tenant;

/** Upper bounds a tenant's deployments may reserve: distinct plugins, CPU cores and memory in GB. */
public record TenantQuotas(int maxPlugins, double maxCpu, double maxMemoryGB) {
}
