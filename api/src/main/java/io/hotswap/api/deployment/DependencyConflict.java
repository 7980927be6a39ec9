package io.hotswap.api.deployment;

public record DependencyConflict(String pluginId, String versionRange, String deployedVersion, String environment) {
}
