package io.hotswap.api.deployment;

public record FindDeploymentHealthQuery(String deploymentId) {
}
