package io.hotswap.sagas.runtime;

import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginHealthCheck;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.plugin.PluginRuntimeSpec;

/**
 * Everything a runtime needs to know to run one plugin version: how it runs (a jar or an image), what one instance
 * may use, how to check it, and where its binary is. The saga hands it over, so no adapter reads the catalogue.
 */
public record PluginVersionSpec(String version, PluginRuntimeSpec runtime, PluginResources resources,
                                PluginHealthCheck healthCheck, PluginBinary binary) {
}
