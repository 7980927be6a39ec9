package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/**
 * {@code strategy} may be null (the configured default applies); {@code strategyConfig} values are strings. A
 * {@code dryRun} checks everything a start would and answers with the plan, but changes nothing.
 */
public record StartDeploymentCommand(@TargetAggregateIdentifier String deploymentId, String tenantId, String pluginId,
                                     String pluginVersion, String environment, String strategy,
                                     Map<String, String> strategyConfig, int totalInstances, boolean dryRun) {

    public StartDeploymentCommand {
        strategyConfig = strategyConfig == null ? Map.of() : Map.copyOf(strategyConfig);
    }
}
