package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DeploymentCompleted(String deploymentId, String tenantId, String pluginId, String pluginVersion,
                                  String environment) {
}
