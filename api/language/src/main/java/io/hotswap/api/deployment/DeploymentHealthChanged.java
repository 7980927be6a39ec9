package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * A completed deployment's instances changed state: their overall health turned (healthy → unhealthy, say), or the
 * runtime restarted one that had exited, stopped answering or was gone after a server restart. {@code reason} says
 * which instances and why. Checks that find nothing new are not stored.
 */
@Revision("1")
public record DeploymentHealthChanged(String deploymentId, String tenantId, OverallHealth health,
                                      List<InstanceHealth> instances, String reason) {
}
