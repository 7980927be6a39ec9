package io.hotswap.api.deployment;

import io.hotswap.api.plugin.PluginDependency;

import java.util.List;

public record DependencyValidation(boolean valid, List<PluginDependency> missing, List<DependencyConflict> conflicts) {
}
