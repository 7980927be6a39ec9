package io.hotswap.api.deployment;

public record DeploymentAccepted(String deploymentId, DeploymentStatus status, DeploymentPlan plan,
                                 String previousVersion) {
}
