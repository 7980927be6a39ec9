package io.hotswap.sagas.deployment;

import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginHealthCheck;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.plugin.PluginRuntimeSpec;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.PluginVersionSpec;
import io.hotswap.sagas.runtime.PluginVersions;
import io.micrometer.observation.ObservationRegistry;

/** Every version of every plugin registered with the defaults of the guide's metadata. */
final class FakePluginVersions implements PluginVersions {

    static PluginVersionSpec specOf(String version) {
        return new PluginVersionSpec(version, PluginRuntimeSpec.DEFAULT, PluginResources.DEFAULT, PluginHealthCheck.DEFAULT,
                new PluginBinary("plugins/" + version + ".jar", "0".repeat(64), 1024));
    }

    /** The saga's view of the fake runtime. */
    static DeploymentRuntime over(FakePluginRuntime runtime) {
        return new DeploymentRuntime(runtime, new FakePluginVersions(), ObservationRegistry.NOOP);
    }

    @Override
    public PluginVersionSpec spec(String pluginId, String version) {
        return specOf(version);
    }
}
