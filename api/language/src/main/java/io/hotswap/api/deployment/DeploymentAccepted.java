package io.hotswap.api.deployment;

/**
 * The answer to a start (or a dry run): the plan, what it replaces, and what it holds against the tenant's quotas.
 */
public record DeploymentAccepted(String deploymentId, DeploymentStatus status, DeploymentPlan plan,
                                 String previousVersion, double reservedCpu, double reservedMemoryGB) {
}
