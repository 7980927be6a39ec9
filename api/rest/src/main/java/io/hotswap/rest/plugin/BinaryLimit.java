package io.hotswap.rest.plugin;

/** The largest plugin binary accepted, in bytes ({@code Storage.MaxBinarySizeMB}). */
public record BinaryLimit(long maxBytes) {
}
