package io.hotswap.api.deployment;

import io.hotswap.api.page.PageRequest;

/** Every filter is optional (null matches all). */
public record ListDeploymentsQuery(String tenantId, String pluginId, String environment, DeploymentStatus status,
                                   PageRequest page) {
}
