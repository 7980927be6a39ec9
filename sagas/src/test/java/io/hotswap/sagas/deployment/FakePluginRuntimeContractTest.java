package io.hotswap.sagas.deployment;

import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.hotswap.sagas.runtime.PluginRuntimeContract;
import io.hotswap.sagas.runtime.PluginVersionSpec;

import java.util.concurrent.atomic.AtomicInteger;

/** The recording runtime the saga tests use keeps the same promises as the real adapters. */
class FakePluginRuntimeContractTest implements PluginRuntimeContract {

    private final FakePluginRuntime runtime = new FakePluginRuntime();
    private final AtomicInteger targets = new AtomicInteger();

    @Override
    public PluginRuntime runtime() {
        return runtime;
    }

    @Override
    public PluginVersionSpec version() {
        return FakePluginVersions.specOf("1.0.0");
    }

    @Override
    public PluginVersionSpec otherVersion() {
        return FakePluginVersions.specOf("2.0.0");
    }

    @Override
    public DeploymentTarget freshTarget() {
        return new DeploymentTarget("tenant", "plugin-" + targets.incrementAndGet(), "production");
    }
}
