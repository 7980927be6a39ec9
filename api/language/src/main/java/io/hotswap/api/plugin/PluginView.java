package io.hotswap.api.plugin;

import java.time.Instant;
import java.util.List;

/** A catalogue entry; {@code versions} newest first. */
public record PluginView(String pluginId, String name, String latestVersion, Instant createdAt,
                         List<PluginVersionView> versions) {
}
