package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DeploymentPaused(String deploymentId, String tenantId, String requestedBy) {
}
