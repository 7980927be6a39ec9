package io.hotswap.api.plugin;

public record PluginHealthCheck(String path, int timeoutSeconds) {

    public static final PluginHealthCheck DEFAULT = new PluginHealthCheck("/health", 2);
}
