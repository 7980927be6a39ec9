package io.hotswap.api.deployment;

public record DependencyConflict(String pluginId, String versionRange, String deployedVersion, String environment) {

    /** For refusals that list conflicts: {@code payment-core ^1.2.0 (1.0.0 runs in Production)}. */
    @Override
    public String toString() {
        return pluginId + " " + versionRange + " (" + deployedVersion + " runs in " + environment + ")";
    }
}
