package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

/** Like a rollback, but the deployment ends {@code Failed}. {@code targetVersion} is what keeps running. */
@Revision("1")
public record DeploymentAborted(String deploymentId, String tenantId, String reason, String requestedBy,
                                String targetVersion) {
}
