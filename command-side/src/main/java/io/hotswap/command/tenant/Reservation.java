package io.hotswap.command.tenant;

/**
 * What one deployment holds against its tenant. Unsettled while the deployment runs; settled once it completed
 * and became the stable version of its (plugin, environment).
 */
record Reservation(String deploymentId, String pluginId, String pluginVersion, String environment, double cpu,
                   double memoryGB, boolean settled) {

    boolean sameSlot(String otherPluginId, String otherEnvironment) {
        return pluginId.equals(otherPluginId) && environment.equalsIgnoreCase(otherEnvironment);
    }

    Reservation settle() {
        return new Reservation(deploymentId, pluginId, pluginVersion, environment, cpu, memoryGB, true);
    }
}
