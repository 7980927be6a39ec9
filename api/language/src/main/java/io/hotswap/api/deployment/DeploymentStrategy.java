package io.hotswap.api.deployment;

import java.util.Arrays;
import java.util.Optional;

public enum DeploymentStrategy {
    Canary, Rolling, BlueGreen, Direct;

    /** Case-insensitive, so "canary" and "Canary" both name {@link #Canary}. */
    public static Optional<DeploymentStrategy> named(String name) {
        return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }
}
