package io.hotswap.api.plugin;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RegisterPluginVersionCommand(@TargetAggregateIdentifier String pluginId, String name, String version,
                                           PluginBinary binary, PluginMetadata metadata) {
}
