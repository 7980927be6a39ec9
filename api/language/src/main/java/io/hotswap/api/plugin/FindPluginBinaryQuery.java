package io.hotswap.api.plugin;

/** Answers with the {@link PluginBinary} of a version: where its bytes are and what they hash to. */
public record FindPluginBinaryQuery(String pluginId, String version) {
}
