package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

/** {@code targetVersion} is the version to restore; null when the deployment was a first install. */
@Revision("1")
public record DeploymentRollbackStarted(String deploymentId, String tenantId, String reason, String requestedBy,
                                        boolean automatic, String targetVersion) {
}
