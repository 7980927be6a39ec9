package io.hotswap.sagas.runtime;

import io.hotswap.api.deployment.InstanceHealth;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What runs plugin instances: local processes or Kubernetes. Every call is idempotent, because sagas repeat them
 * after a crash or a retry.
 *
 * <p>The runtime keeps what it was asked for: an instance that exits is started again, soon at first and then with a
 * growing back-off, and reported {@code CrashLooping} while it keeps exiting soon after it starts; the instances it
 * was asked for run again after a restart of the server.
 */
public interface PluginRuntime {

    /** The plugin runtime types ({@code jar}, {@code image}) it runs; deployments of other types are refused. */
    Set<String> runtimeTypes();

    /**
     * Makes exactly {@code instances} instances of the version run for the target, starting or stopping some. The spec
     * says all the runtime needs to know to run it; no runtime looks a version up itself.
     */
    void scale(DeploymentTarget target, PluginVersionSpec version, int instances);

    /** Checks every instance of {@code version} for the target now. */
    List<InstanceHealth> check(DeploymentTarget target, String version);

    /** How many instances of each version run for the target (exited ones do not count). */
    Map<String, Integer> running(DeploymentTarget target);

    /** Stops one instance that no longer answers and starts it again at once; unknown instances are ignored. */
    void replace(DeploymentTarget target, String instanceId);
}
