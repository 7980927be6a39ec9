package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

/** The deployment jumped to its last stage; {@code stage}, {@code percentage} and {@code desiredInstances} are that stage's. */
@Revision("1")
public record DeploymentPromoted(String deploymentId, String tenantId, int stage, int percentage, int desiredInstances,
                                 String requestedBy) {
}
