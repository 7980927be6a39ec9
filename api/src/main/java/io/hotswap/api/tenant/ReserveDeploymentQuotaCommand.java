package io.hotswap.api.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Holds {@code cpu} and {@code memoryGB} (already multiplied by the instance count) for one deployment. */
public record ReserveDeploymentQuotaCommand(@TargetAggregateIdentifier String tenantId, String deploymentId,
                                            String pluginId, String pluginVersion, String environment,
                                            double cpu, double memoryGB) {
}
