package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

/**
 * A completed deployment that nothing supervised (it completed under an earlier build) is supervised from now on: its
 * instances are brought back and its health is checked as for any completed deployment. It names what the
 * supervision needs.
 */
@Revision("1")
public record DeploymentSupervisionStarted(String deploymentId, String tenantId, String pluginId, String pluginVersion,
                                           String environment, int totalInstances, DeploymentPlan plan) {
}
