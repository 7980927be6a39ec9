package io.hotswap.api.plugin;

/** The answer to a registration: {@code created} is false when the same binary was registered before. */
public record PluginVersionRegistration(String pluginId, String version, PluginBinary binary, boolean created) {
}
