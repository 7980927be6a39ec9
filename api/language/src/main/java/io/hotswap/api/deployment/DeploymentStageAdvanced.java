package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DeploymentStageAdvanced(String deploymentId, String tenantId, int stage, int percentage,
                                      int desiredInstances) {
}
