package io.hotswap.command.tenant;

import io.hotswap.api.plugin.PluginDependency;

import java.util.List;

/**
 * What one deployment holds against its tenant. Unsettled while the deployment runs; settled once it completed
 * and became the stable version of its (plugin, environment). A settled reservation keeps the one it
 * {@code replaces}, which counts again if this one is rolled back.
 */
record Reservation(String deploymentId, String pluginId, String pluginVersion, String environment, double cpu,
                   double memoryGB, List<PluginDependency> dependencies, boolean settled, Reservation replaces) {

    boolean sameSlot(String otherPluginId, String otherEnvironment) {
        return pluginId.equals(otherPluginId) && environment.equalsIgnoreCase(otherEnvironment);
    }

    Reservation settle(Reservation replaced) {
        return new Reservation(deploymentId, pluginId, pluginVersion, environment, cpu, memoryGB, dependencies, true,
                replaced == null ? null : replaced.forget());
    }

    /** Only one level of history is kept: the version a rollback would restore. */
    private Reservation forget() {
        return new Reservation(deploymentId, pluginId, pluginVersion, environment, cpu, memoryGB, dependencies, true, null);
    }
}
