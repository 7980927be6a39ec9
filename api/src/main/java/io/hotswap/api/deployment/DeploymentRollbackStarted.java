package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

/**
 * The deployment's new instances are being taken down. {@code targetVersion} is the version to restore; null when
 * the deployment was a first install. It names the plugin, version, environment and size, so that whoever takes the
 * instances down needs nothing else (a completed deployment's saga has ended by then).
 */
@Revision("1")
public record DeploymentRollbackStarted(String deploymentId, String tenantId, String pluginId, String pluginVersion,
                                        String environment, int totalInstances, String reason, String requestedBy,
                                        boolean automatic, String targetVersion) {
}
