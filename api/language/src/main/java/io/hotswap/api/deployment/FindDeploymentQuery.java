package io.hotswap.api.deployment;

public record FindDeploymentQuery(String deploymentId) {
}
