package io.hotswap.api.plugin;

import org.axonframework.serialization.Revision;

@Revision("1")
public record PluginVersionRegistered(String pluginId, String version, PluginBinary binary, PluginMetadata metadata) {
}
