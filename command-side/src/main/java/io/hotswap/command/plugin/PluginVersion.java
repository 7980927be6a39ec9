package io.hotswap.command.plugin;

import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.api.plugin.PluginVersionStatus;
import io.hotswap.api.plugin.PluginVersionView;

import java.time.Instant;

/** One registered version as the Plugin aggregate remembers it. */
public record PluginVersion(String version, PluginBinary binary, PluginMetadata metadata, PluginVersionStatus status,
                            Instant registeredAt) {

    PluginVersion withStatus(PluginVersionStatus newStatus) {
        return new PluginVersion(version, binary, metadata, newStatus, registeredAt);
    }

    PluginVersionView view(String pluginId) {
        return new PluginVersionView(pluginId, version, status, binary.sha256(), binary.sizeBytes(), metadata, registeredAt);
    }
}
