package io.hotswap.api.plugin;

public record FindPluginQuery(String pluginId) {
}
