package io.hotswap.api.deployment;

import java.util.List;

/** How a set of instances stands as a whole: the one verdict the saga, the aggregate and the read models share. */
public enum OverallHealth {
    /** Nothing checked yet. */
    Unknown,
    /** No failure, but fewer healthy instances than wanted: some are still starting. */
    Starting,
    Healthy,
    /** Some instance answers non-2xx, stopped answering or exited. */
    Unhealthy,
    /** Some instance exits again and again soon after it starts. */
    CrashLooping;

    public static OverallHealth of(List<InstanceHealth> instances, int wanted) {
        if (instances.stream().anyMatch(i -> i.state() == InstanceState.CrashLooping)) return CrashLooping;
        if (instances.stream().anyMatch(i -> i.state().isFailure())) return Unhealthy;
        long healthy = instances.stream().filter(i -> i.state() == InstanceState.Healthy).count();
        return healthy >= wanted && !instances.isEmpty() ? Healthy : Starting;
    }
}
