package io.hotswap.api.deployment;

/** One step of a plan: bring {@code instances} (= {@code percentage} of the total) to the new version, then wait. */
public record DeploymentStep(int percentage, int instances, int waitSeconds) {
}
