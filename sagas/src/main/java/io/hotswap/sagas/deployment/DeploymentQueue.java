package io.hotswap.sagas.deployment;

import java.time.Instant;
import java.util.List;

/**
 * The cluster-wide line of deployments waiting for one of {@code MaxConcurrentDeployments} slots. Only the
 * deployment-queue processor (one segment, so one node at a time) calls it.
 */
public interface DeploymentQueue {

    void enqueue(String deploymentId, String tenantId, Instant queuedAt);

    /** Frees the deployment's slot, or takes it out of the line if it never got one. */
    void finish(String deploymentId);

    /**
     * Admits waiting deployments into the free slots, fairly across tenants: tenants with fewer running deployments
     * first, then the longest waiting.
     *
     * @return the deployments admitted, to be activated
     */
    List<String> admit(int maxConcurrent);
}
