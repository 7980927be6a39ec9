package io.hotswap.sagas.runtime;

import io.hotswap.api.deployment.InstanceHealth;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The plugin runtime as the deployment saga uses it: versions go by their number, and each is handed to the runtime
 * with its spec. Every call is an observation ({@code plugin.runtime}, by {@code operation}): a timer, and with
 * tracing on a span {@code plugin-runtime.<operation>} in the trace of the event or deadline that made the call.
 */
public final class DeploymentRuntime {

    private final PluginRuntime runtime;
    private final PluginVersions versions;
    private final ObservationRegistry observations;

    public DeploymentRuntime(PluginRuntime runtime, PluginVersions versions, ObservationRegistry observations) {
        this.runtime = runtime;
        this.versions = versions;
        this.observations = observations;
    }

    public void scale(DeploymentTarget target, String version, int instances) {
        observe("scale", target, version, () -> {
            runtime.scale(target, versions.spec(target.pluginId(), version), instances);
            return null;
        });
    }

    public List<InstanceHealth> check(DeploymentTarget target, String version) {
        return observe("check", target, version, () -> runtime.check(target, version));
    }

    public Map<String, Integer> running(DeploymentTarget target) {
        return observe("running", target, null, () -> runtime.running(target));
    }

    public void replace(DeploymentTarget target, String instanceId) {
        observe("replace", target, null, () -> {
            runtime.replace(target, instanceId);
            return null;
        });
    }

    private <T> T observe(String operation, DeploymentTarget target, String version, Supplier<T> call) {
        Observation observation = Observation.createNotStarted("plugin.runtime", observations)
                .contextualName("plugin-runtime." + operation)
                .lowCardinalityKeyValue("operation", operation)
                .highCardinalityKeyValue("tenant", target.tenantId())
                .highCardinalityKeyValue("plugin", target.pluginId())
                .highCardinalityKeyValue("environment", target.environment());
        if (version != null) observation.highCardinalityKeyValue("version", version);
        return observation.observe(call);
    }
}
