package io.hotswap.api.plugin;

/** Where a version's binary lives in the object store, and what it must hash to. */
public record PluginBinary(String storageKey, String sha256, long sizeBytes) {
}
