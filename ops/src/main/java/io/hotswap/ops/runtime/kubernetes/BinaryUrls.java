package io.hotswap.ops.runtime.kubernetes;

import io.hotswap.api.plugin.PluginBinary;

import java.net.URI;
import java.time.Duration;

/** Where a pod's init container downloads a version's binary from, for a while. */
interface BinaryUrls {

    /** A GET on {@code url}, with {@code Authorization: Bearer <bearerToken>} unless the token is null. */
    record Download(URI url, String bearerToken) {
    }

    Download downloadOf(String tenantId, String pluginId, String version, PluginBinary binary, Duration validFor);
}
