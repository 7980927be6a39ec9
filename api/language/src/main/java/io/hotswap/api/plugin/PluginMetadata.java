package io.hotswap.api.plugin;

import java.util.List;

/** The {@code metadata} part of a registration, with defaults filled in for what the client left out. */
public record PluginMetadata(String description, List<PluginDependency> dependencies, PluginResources resources,
                             PluginHealthCheck healthCheck, PluginRuntimeSpec runtime) {

    public PluginMetadata {
        description = description == null ? "" : description;
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        resources = resources == null ? PluginResources.DEFAULT : resources;
        healthCheck = healthCheck == null ? PluginHealthCheck.DEFAULT : healthCheck;
        runtime = runtime == null ? PluginRuntimeSpec.DEFAULT : runtime;
    }
}
