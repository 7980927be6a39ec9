package io.hotswap.api.deployment;

import io.hotswap.api.page.PageCursor;
import io.hotswap.api.page.PageRequest;

import java.util.Map;

/** Newest first; every filter is optional (null matches all). */
public record ListDeploymentsQuery(String tenantId, String pluginId, String environment, DeploymentStatus status,
                                   PageRequest page) {

    /** The name of this listing in its cursors. */
    public static final String LISTING = "deployments";

    /** The filters by their query parameter names, as a cursor carries them. */
    public Map<String, String> filters() {
        return PageCursor.filters("tenantId", tenantId, "pluginId", pluginId, "environment", environment,
                "status", status == null ? null : status.name());
    }
}
