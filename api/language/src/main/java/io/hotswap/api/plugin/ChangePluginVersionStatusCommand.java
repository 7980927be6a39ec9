package io.hotswap.api.plugin;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ChangePluginVersionStatusCommand(@TargetAggregateIdentifier String pluginId, String version,
                                               PluginVersionStatus status) {
}
