package io.hotswap.api.plugin;

/** How an instance runs: {@code jar} (a process, {@code java -jar}) or {@code image} (a container image). */
public record PluginRuntimeSpec(String type, String image) {

    public static final PluginRuntimeSpec DEFAULT = new PluginRuntimeSpec("jar", null);
}
