package io.hotswap.api.plugin;

public record FindPluginVersionQuery(String pluginId, String version) {
}
