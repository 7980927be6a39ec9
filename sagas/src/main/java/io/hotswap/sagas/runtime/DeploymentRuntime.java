package io.hotswap.sagas.runtime;

import io.hotswap.api.deployment.InstanceHealth;

import java.util.List;
import java.util.Map;

/**
 * The plugin runtime as the deployment saga uses it: versions go by their number, and each is handed to the runtime
 * with its spec.
 */
public final class DeploymentRuntime {

    private final PluginRuntime runtime;
    private final PluginVersions versions;

    public DeploymentRuntime(PluginRuntime runtime, PluginVersions versions) {
        this.runtime = runtime;
        this.versions = versions;
    }

    public void scale(DeploymentTarget target, String version, int instances) {
        runtime.scale(target, versions.spec(target.pluginId(), version), instances);
    }

    public List<InstanceHealth> check(DeploymentTarget target, String version) {
        return runtime.check(target, version);
    }

    public Map<String, Integer> running(DeploymentTarget target) {
        return runtime.running(target);
    }

    public void replace(DeploymentTarget target, String instanceId) {
        runtime.replace(target, instanceId);
    }
}
