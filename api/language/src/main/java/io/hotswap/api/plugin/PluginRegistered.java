package io.hotswap.api.plugin;

import org.axonframework.serialization.Revision;

@Revision("1")
public record PluginRegistered(String pluginId, String name) {
}
