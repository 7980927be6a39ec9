package io.hotswap.api.deployment;

import org.axonframework.serialization.Revision;

import java.util.List;

/** {@code consecutiveFailures} counts this check too when it failed; zero after a healthy one. */
@Revision("1")
public record HealthCheckRecorded(String deploymentId, String tenantId, List<InstanceHealth> instances,
                                  boolean healthy, int consecutiveFailures) {
}
