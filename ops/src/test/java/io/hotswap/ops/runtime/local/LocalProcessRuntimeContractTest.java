package io.hotswap.ops.runtime.local;

import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.hotswap.sagas.runtime.PluginRuntimeContract;
import io.hotswap.sagas.runtime.PluginVersionSpec;
import io.hotswap.sagas.runtime.PluginVersions;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The local process runtime keeps the port's promises, with real plugin processes. */
class LocalProcessRuntimeContractTest extends ServerTest implements PluginRuntimeContract {

    private static final String PLUGIN = "contract-plugin";
    private static final AtomicInteger TARGETS = new AtomicInteger();
    /** One binary for every case: registering the same bytes again is a no-op. */
    private static final byte[] JAR = SamplePlugins.healthy();

    @Autowired
    private PluginRuntime runtime;
    @Autowired
    private PluginVersions versions;
    private final List<DeploymentTarget> used = new ArrayList<>();

    @Override
    public PluginRuntime runtime() {
        return runtime;
    }

    @Override
    public PluginVersionSpec version() {
        return versions.spec(PLUGIN, "1.0.0");
    }

    @Override
    public PluginVersionSpec otherVersion() {
        return versions.spec(PLUGIN, "2.0.0");
    }

    @Override
    public DeploymentTarget freshTarget() {
        if (used.isEmpty()) {
            register(PLUGIN, "1.0.0", JAR, "{}");
            register(PLUGIN, "2.0.0", JAR, "{}");
        }
        DeploymentTarget target = new DeploymentTarget("tenant-contract-" + TARGETS.incrementAndGet(), PLUGIN, "Production");
        used.add(target);
        return target;
    }

    @AfterEach
    void stopWhatTheCaseStarted() {
        used.forEach(target -> List.of(version(), otherVersion()).forEach(v -> runtime.scale(target, v, 0)));
    }
}
