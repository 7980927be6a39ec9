package io.hotswap.api.deployment;

/**
 * One instance as the runtime last saw it; {@code detail} says why it is not healthy, {@code restarts} how often the
 * runtime started it again after it exited or stopped answering.
 */
public record InstanceHealth(String instanceId, String version, InstanceState state, String detail, int restarts) {

    public InstanceHealth(String instanceId, String version, InstanceState state, String detail) {
        this(instanceId, version, state, detail, 0);
    }
}
