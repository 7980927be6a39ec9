package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/** {@code strategy} may be null (the configured default applies); {@code strategyConfig} values are strings. */
public record StartDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String tenantId, String pluginId,
                                     String pluginVersion, String environment, String strategy,
                                     Map<String, String> strategyConfig, int totalInstances) {

    public StartDeploymentCommand {
        strategyConfig = strategyConfig == null ? Map.of() : Map.copyOf(strategyConfig);
    }
}
