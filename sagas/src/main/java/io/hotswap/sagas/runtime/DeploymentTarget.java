package io.hotswap.sagas.runtime;

/** Where a plugin's instances run: one plugin in one environment of one tenant. */
public record DeploymentTarget(String tenantId, String pluginId, String environment) {
}
