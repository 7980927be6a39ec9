package io.hotswap.api.deployment;

/**
 * Where one instance stands. {@code Starting}: running but not answering its health check yet (the progress
 * deadline covers it). {@code Healthy}: answering 2xx. {@code Unhealthy}: answering, but not with 2xx.
 * {@code NotAnswering}: it answered since it last started, and no longer does. {@code Exited}: the process is gone
 * and waits for its restart. {@code CrashLooping}: it exited again and again soon after starting; restarts go on
 * with a growing back-off.
 */
public enum InstanceState {
    Starting, Healthy, Unhealthy, NotAnswering, Exited, CrashLooping;

    /** A failure counts toward the failure threshold; starting does not. */
    public boolean isFailure() {
        return this != Starting && this != Healthy;
    }
}
