package io.hotswap.command.tenant;

import io.hotswap.api.plugin.PluginDependency;

import java.util.List;

/**
 * What one deployment holds against its tenant. Unsettled while the deployment runs, when it counts
 * {@code inFlightCpu} and {@code inFlightMemoryGB}: what its plan adds at its peak on top of the stable set it
 * replaces. Settled once it completed and became the stable version of its (plugin, environment), when it counts
 * {@code cpu} and {@code memoryGB}: its {@code instances} (0 when not recorded) as they run. A settled reservation
 * keeps the one it {@code replaces}, which counts again if this one is rolled back. The in-flight figures are null in
 * snapshots taken before they were recorded: such a reservation holds its whole set, as it did then.
 */
record Reservation(String deploymentId, String pluginId, String pluginVersion, String environment, int instances,
                   double cpu, double memoryGB, Double inFlightCpu, Double inFlightMemoryGB,
                   List<PluginDependency> dependencies, boolean settled, Reservation replaces) {

    boolean sameSlot(String otherPluginId, String otherEnvironment) {
        return pluginId.equals(otherPluginId) && environment.equalsIgnoreCase(otherEnvironment);
    }

    double countedCpu() {
        return settled || inFlightCpu == null ? cpu : inFlightCpu;
    }

    double countedMemoryGB() {
        return settled || inFlightMemoryGB == null ? memoryGB : inFlightMemoryGB;
    }

    Reservation settle(Reservation replaced) {
        return new Reservation(deploymentId, pluginId, pluginVersion, environment, instances, cpu, memoryGB,
                inFlightCpu, inFlightMemoryGB, dependencies, true, replaced == null ? null : replaced.forget());
    }

    /** Only one level of history is kept: the version a rollback would restore. */
    private Reservation forget() {
        return new Reservation(deploymentId, pluginId, pluginVersion, environment, instances, cpu, memoryGB,
                inFlightCpu, inFlightMemoryGB, dependencies, true, null);
    }
}
