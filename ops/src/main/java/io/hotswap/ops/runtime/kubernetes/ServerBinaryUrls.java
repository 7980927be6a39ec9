package io.hotswap.ops.runtime.kubernetes;

import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.ops.security.TokenIssuer;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The server's own binary endpoint, {@code GET /api/v1/plugins/{id}/versions/{v}/binary}, with a tenant viewer's token. */
final class ServerBinaryUrls implements BinaryUrls {

    private final TokenIssuer tokens;
    private final String serverUrl;

    ServerBinaryUrls(TokenIssuer tokens, String serverUrl) {
        this.tokens = tokens;
        this.serverUrl = serverUrl.replaceAll("/+$", "");
    }

    @Override
    public Download downloadOf(String tenantId, String pluginId, String version, PluginBinary binary, Duration validFor) {
        String token = tokens.issue("plugin-runtime:" + tenantId, List.of("tenant-viewer"), tenantId, validFor);
        // plugin ids are DNS labels and versions semver: nothing in the path needs escaping
        return new Download(URI.create(serverUrl + "/api/v1/plugins/" + pluginId + "/versions/" + version + "/binary"), token);
    }
}
