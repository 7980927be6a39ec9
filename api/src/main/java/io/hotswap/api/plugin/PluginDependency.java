package io.hotswap.api.plugin;

public record PluginDependency(String pluginId, String versionRange) {
}
