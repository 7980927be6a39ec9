package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DeploymentRolledBack(String deploymentId, String tenantId, String restoredVersion) {
}
