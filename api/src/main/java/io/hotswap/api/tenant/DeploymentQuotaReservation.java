package io.hotswap.api.tenant;

/** The answer to a granted reservation: what the deployment replaces, if anything. */
public record DeploymentQuotaReservation(String deploymentId, String previousStableVersion) {
}
