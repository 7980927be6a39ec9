package io.hotswap.command.plugin;

import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.api.plugin.PluginVersionStatus;

/** One registered version as the Plugin aggregate remembers it. */
public record PluginVersion(String version, PluginBinary binary, PluginMetadata metadata, PluginVersionStatus status) {

    PluginVersion withStatus(PluginVersionStatus newStatus) {
        return new PluginVersion(version, binary, metadata, newStatus);
    }
}
