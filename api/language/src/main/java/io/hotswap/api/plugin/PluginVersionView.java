package io.hotswap.api.plugin;

import java.time.Instant;

public record PluginVersionView(String pluginId, String version, PluginVersionStatus status, String sha256,
                                long sizeBytes, PluginMetadata metadata, Instant registeredAt) {
}
