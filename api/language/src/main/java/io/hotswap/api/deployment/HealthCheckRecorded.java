package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * {@code healthy}: every instance answered 2xx. {@code consecutiveFailures} counts checks in a row in which some
 * instance was unhealthy or had exited; a healthy check resets it, a check with instances still starting leaves it.
 */
@Revision("1")
public record HealthCheckRecorded(String deploymentId, String tenantId, List<InstanceHealth> instances,
                                  boolean healthy, int consecutiveFailures) {
}
