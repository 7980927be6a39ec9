package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DeploymentActivated(String deploymentId, String tenantId) {
}
