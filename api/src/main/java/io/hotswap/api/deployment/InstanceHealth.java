package io.hotswap.api.deployment;

/** One instance as the runtime last saw it; {@code detail} says why it is not healthy. */
public record InstanceHealth(String instanceId, String version, InstanceState state, String detail) {
}
