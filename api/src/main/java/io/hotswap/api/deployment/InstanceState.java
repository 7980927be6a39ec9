package io.hotswap.api.deployment;

/**
 * Where one instance stands. {@code Starting}: running but not answering its health check yet (the progress
 * deadline covers it). {@code Unhealthy}: answering, but not with 2xx. {@code Exited}: the process is gone.
 */
public enum InstanceState {
    Starting, Healthy, Unhealthy, Exited;

    /** A failure counts toward the failure threshold; starting does not. */
    public boolean isFailure() {
        return this == Unhealthy || this == Exited;
    }
}
