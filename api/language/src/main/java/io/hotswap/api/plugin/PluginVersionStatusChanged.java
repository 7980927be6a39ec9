package io.hotswap.api.plugin;

import org.axonframework.serialization.Revision;

@Revision("1")
public record PluginVersionStatusChanged(String pluginId, String version, PluginVersionStatus status) {
}
