package io.hotswap.api.deployment;

public enum DeploymentStatus {
    Queued, InProgress, Paused, Completed, RollingBack, RolledBack, Failed;

    /** Whether the deployment still holds its (tenant, plugin, environment) slot. */
    public boolean isActive() {
        return this == Queued || this == InProgress || this == Paused || this == RollingBack;
    }

    public boolean isTerminal() {
        return this == Completed || this == RolledBack || this == Failed;
    }
}
