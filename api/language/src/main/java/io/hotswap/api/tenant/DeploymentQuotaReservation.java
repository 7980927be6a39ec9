package io.hotswap.api.tenant;

/**
 * The answer to a granted reservation: what the deployment replaces, if anything ({@code previousStableInstances} is
 * null when that is not known), and what it holds against the quotas while it runs on top of what already ran.
 */
public record DeploymentQuotaReservation(String deploymentId, String previousStableVersion,
                                         Integer previousStableInstances, double reservedCpu,
                                         double reservedMemoryGB) {
}
