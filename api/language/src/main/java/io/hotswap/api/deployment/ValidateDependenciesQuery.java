package io.hotswap.api.deployment;

/** {@code environment} may be null: then a dependency counts when it runs in any environment of the tenant. */
public record ValidateDependenciesQuery(String pluginId, String pluginVersion, String tenantId, String environment) {
}
