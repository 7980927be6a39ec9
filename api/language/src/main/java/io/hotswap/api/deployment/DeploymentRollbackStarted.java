package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

/**
 * The deployment's new instances are being taken down. {@code targetVersion} is the version to restore, with
 * {@code targetInstances} instances; both null when the deployment was a first install ({@code targetInstances} is
 * also null in events stored before it was recorded: then {@code totalInstances} are restored). It names the plugin, version, environment and size, so that whoever takes the
 * instances down needs nothing else (a completed deployment's saga has ended by then).
 */
@Revision("1")
public record DeploymentRollbackStarted(String deploymentId, String tenantId, String pluginId, String pluginVersion,
                                        String environment, int totalInstances, String reason, String requestedBy,
                                        boolean automatic, String targetVersion,
                                        Integer targetInstances) {
}
