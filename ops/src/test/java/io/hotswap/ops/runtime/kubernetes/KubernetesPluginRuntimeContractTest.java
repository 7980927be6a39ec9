package io.hotswap.ops.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginHealthCheck;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.plugin.PluginRuntimeSpec;
import io.hotswap.ops.support.MockCluster;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.hotswap.sagas.runtime.PluginRuntimeContract;
import io.hotswap.sagas.runtime.PluginVersionSpec;
import org.junit.jupiter.api.AfterAll;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/** The Kubernetes runtime keeps the port's promises on the mock cluster: a jar version and an image version. */
public class KubernetesPluginRuntimeContractTest implements PluginRuntimeContract {

    private static final MockCluster CLUSTER = new MockCluster();
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static final PluginRuntime RUNTIME = runtimeOn(CLUSTER.client());

    /** The runtime with the default settings, downloading binaries from a fixed place. */
    public static KubernetesPluginRuntime runtimeOn(KubernetesClient client) {
        return runtimeOn(client, Clock.systemUTC());
    }

    public static KubernetesPluginRuntime runtimeOn(KubernetesClient client, Clock clock) {
        KubernetesRuntimeProperties defaults = new KubernetesRuntimeProperties("eclipse-temurin:17-jre",
                "curlimages/curl:8.11.1", "http://plugin-manager.plugin-manager.svc:8080", java.time.Duration.ofHours(1), 8080);
        BinaryUrls binaries = (tenant, plugin, version, binary, validFor) ->
                new BinaryUrls.Download(URI.create("http://binaries.example/" + binary.storageKey()), "token-of-" + tenant);
        return new KubernetesPluginRuntime(client, defaults, binaries, clock);
    }

    public static PluginVersionSpec jar(String version) {
        return new PluginVersionSpec(version, PluginRuntimeSpec.DEFAULT, new PluginResources(0.25, 256),
                new PluginHealthCheck("/ready", 3), new PluginBinary("contract-plugin/" + version, "ab".repeat(32), 1024));
    }

    public static PluginVersionSpec image(String version, String image) {
        return new PluginVersionSpec(version, new PluginRuntimeSpec("image", image), PluginResources.DEFAULT,
                PluginHealthCheck.DEFAULT, new PluginBinary("contract-plugin/" + version, "cd".repeat(32), 10));
    }

    @AfterAll
    static void stopCluster() {
        CLUSTER.close();
    }

    @Override
    public PluginRuntime runtime() {
        return RUNTIME;
    }

    @Override
    public DeploymentTarget freshTarget() {
        int n = TENANTS.incrementAndGet();
        CLUSTER.createTenantNamespace("tenant-contract-" + n, "contract-" + n);
        return new DeploymentTarget("tenant-contract-" + n, "contract-plugin", "Production");
    }

    @Override
    public PluginVersionSpec version() {
        return jar("1.0.0");
    }

    @Override
    public PluginVersionSpec otherVersion() {
        return image("2.0.0+build.7", "registry.example.com/contract-plugin:2.0.0");
    }
}
