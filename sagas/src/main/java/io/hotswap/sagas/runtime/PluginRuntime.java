package io.hotswap.sagas.runtime;

import io.hotswap.api.deployment.InstanceHealth;

import java.util.List;
import java.util.Map;

/**
 * What runs plugin instances: local processes or Kubernetes. Every call is idempotent, because sagas repeat
 * them after a crash or a retry.
 */
public interface PluginRuntime {

    /** Makes exactly {@code instances} instances of {@code version} run for the target, starting or stopping some. */
    void scale(DeploymentTarget target, String version, int instances);

    /** Checks every instance of {@code version} for the target now. */
    List<InstanceHealth> check(DeploymentTarget target, String version);

    /** How many instances of each version run for the target (exited ones do not count). */
    Map<String, Integer> running(DeploymentTarget target);
}
