package io.hotswap.api.plugin;

public record PluginDependency(String pluginId, String versionRange) {

    /** As a person wrote it in the metadata, for refusals that list dependencies: {@code payment-core ^1.2.0}. */
    @Override
    public String toString() {
        return pluginId + " " + versionRange;
    }
}
