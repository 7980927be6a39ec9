package io.hotswap.api.tenant;

import io.hotswap.api.plugin.PluginDependency;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Holds {@code cpu} and {@code memoryGB} (already multiplied by the instance count) for one deployment. Its
 * {@code dependencies} must run stable in the same environment at versions inside their ranges.
 */
public record ReserveDeploymentQuotaCommand(@TargetAggregateIdentifier String tenantId, String deploymentId,
                                            String pluginId, String pluginVersion, String environment,
                                            double cpu, double memoryGB, List<PluginDependency> dependencies) {

    public ReserveDeploymentQuotaCommand {
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }
}
