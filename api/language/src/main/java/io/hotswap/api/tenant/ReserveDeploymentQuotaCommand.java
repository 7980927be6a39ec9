package io.hotswap.api.tenant;

import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.plugin.PluginDependency;
import io.hotswap.api.plugin.PluginResources;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Reserves what one deployment of {@code instances} instances, each needing {@code perInstance}, holds against the
 * tenant while its {@code plan} runs. Its {@code dependencies} must run stable in the same environment at versions
 * inside their ranges.
 */
public record ReserveDeploymentQuotaCommand(@TargetAggregateIdentifier String tenantId, String deploymentId,
                                            String pluginId, String pluginVersion, String environment,
                                            int instances, PluginResources perInstance, DeploymentPlan plan,
                                            List<PluginDependency> dependencies) {

    public ReserveDeploymentQuotaCommand {
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }

    public double cpu() {
        return perInstance.cpu() * instances;
    }

    public double memoryGB() {
        return perInstance.memoryMB() * instances / 1024.0;
    }
}
