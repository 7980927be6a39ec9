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

    /**
     * A running deployment's verdict (its supervision and the health answer): at least {@code wanted} instances
     * healthy and none failed. More instances still starting do not matter.
     */
    public static OverallHealth of(List<InstanceHealth> instances, int wanted) {
        if (instances.stream().anyMatch(i -> i.state() == InstanceState.CrashLooping)) return CrashLooping;
        if (instances.stream().anyMatch(i -> i.state().isFailure())) return Unhealthy;
        long healthy = instances.stream().filter(i -> i.state() == InstanceState.Healthy).count();
        return healthy >= wanted && !instances.isEmpty() ? Healthy : Starting;
    }

    /**
     * A rollout stage's verdict: as {@link #of}, but every instance must be healthy, so one still starting holds the
     * stage back. With {@code wanted} 1 it asks only that some instance runs.
     */
    public static OverallHealth ofStage(List<InstanceHealth> instances, int wanted) {
        return of(instances, Math.max(wanted, instances.size()));
    }

    /** Some instance failed: a check with this verdict counts toward the failure threshold. */
    public boolean isFailure() {
        return this == Unhealthy || this == CrashLooping;
    }
}
