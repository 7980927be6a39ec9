package io.hotswap.rest.plugin;

import io.hotswap.api.error.Input;
import io.hotswap.api.plugin.PluginDependency;
import io.hotswap.api.plugin.PluginHealthCheck;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.plugin.PluginRuntimeSpec;
import io.hotswap.api.semver.VersionRange;

import java.util.List;
import java.util.Set;

/** The {@code metadata} part of a registration as clients send it: every field optional. */
record MetadataRequest(String description, List<Dependency> dependencies, Resources resources, HealthCheck healthCheck,
                       Runtime runtime) {

    record Dependency(String pluginId, String versionRange) {
    }

    record Resources(Double cpu, Integer memoryMB) {
    }

    record HealthCheck(String path, Integer timeoutSeconds) {
    }

    record Runtime(String type, String image) {
    }

    private static final Set<String> RUNTIME_TYPES = Set.of("jar", "image");

    /** Checks every field and fills defaults for what was left out. */
    PluginMetadata validate(String ownPluginId, Input input) {
        if (description != null && description.length() > 2000) {
            input.reject("metadata.description", "must be at most 2000 characters");
        }
        List<Dependency> deps = dependencies == null ? List.of() : dependencies;
        if (deps.size() > 50) input.reject("metadata.dependencies", "at most 50 dependencies");
        for (int i = 0; i < deps.size() && i < 50; i++) {
            String field = "metadata.dependencies[" + i + "]";
            Dependency dep = deps.get(i);
            if (dep == null) {
                input.reject(field, "must be an object with pluginId and versionRange");
                continue;
            }
            input.dnsLabel(field + ".pluginId", dep.pluginId());
            if (dep.pluginId() != null && dep.pluginId().equals(ownPluginId)) {
                input.reject(field + ".pluginId", "a plugin cannot depend on itself");
            }
            input.required(field + ".versionRange", dep.versionRange());
            if (dep.versionRange() != null && !dep.versionRange().isBlank() && !VersionRange.isValid(dep.versionRange())) {
                input.reject(field + ".versionRange", "'" + dep.versionRange() + "' is not a version range "
                        + "(e.g. ^1.2.0, ~1.2, >=1.0.0 <2.0.0, *)");
            }
        }
        PluginResources res = PluginResources.DEFAULT;
        if (resources != null) {
            res = new PluginResources(resources.cpu() == null ? res.cpu() : resources.cpu(),
                    resources.memoryMB() == null ? res.memoryMB() : resources.memoryMB());
            input.range("metadata.resources.cpu", res.cpu(), 0.01, 64)
                    .range("metadata.resources.memoryMB", res.memoryMB(), 16, 262_144);
        }
        PluginHealthCheck health = PluginHealthCheck.DEFAULT;
        if (healthCheck != null) {
            health = new PluginHealthCheck(healthCheck.path() == null ? health.path() : healthCheck.path(),
                    healthCheck.timeoutSeconds() == null ? health.timeoutSeconds() : healthCheck.timeoutSeconds());
            if (!health.path().startsWith("/") || health.path().length() > 200 || health.path().contains(" ")) {
                input.reject("metadata.healthCheck.path", "must be a URL path starting with '/', e.g. /health");
            }
            input.range("metadata.healthCheck.timeoutSeconds", health.timeoutSeconds(), 1, 60);
        }
        PluginRuntimeSpec run = PluginRuntimeSpec.DEFAULT;
        if (runtime != null) {
            run = new PluginRuntimeSpec(runtime.type() == null ? run.type() : runtime.type(), runtime.image());
            if (!RUNTIME_TYPES.contains(run.type())) {
                input.reject("metadata.runtime.type", "must be 'jar' or 'image', was '" + run.type() + "'");
            } else if (run.type().equals("image")) {
                input.imageReference("metadata.runtime.image", run.image());
            }
        }
        return new PluginMetadata(description, deps.stream().filter(d -> d != null)
                .map(d -> new PluginDependency(d.pluginId(), d.versionRange())).toList(), res, health, run);
    }
}
