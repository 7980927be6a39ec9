package io.hotswap.api.plugin;

/** What one instance needs. */
public record PluginResources(double cpu, int memoryMB) {

    public static final PluginResources DEFAULT = new PluginResources(0.1, 128);
}
