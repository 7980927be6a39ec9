package io.hotswap.command.tenant;

import io.hotswap.api.deployment.DependencyConflict;
import io.hotswap.api.plugin.PluginDependency;
import io.hotswap.api.semver.SemanticVersion;
import io.hotswap.api.semver.VersionRange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Which dependencies a tenant's stable versions satisfy. */
final class DependencyRules {

    /** What is missing and what runs at a version outside its range; both empty when all is satisfied. */
    record Verdict(List<PluginDependency> missing, List<DependencyConflict> conflicts) {
        boolean satisfied() {
            return missing.isEmpty() && conflicts.isEmpty();
        }
    }

    private DependencyRules() {
    }

    static Verdict check(List<PluginDependency> dependencies, String environment, Collection<Reservation> reservations) {
        List<PluginDependency> missing = new ArrayList<>();
        List<DependencyConflict> conflicts = new ArrayList<>();
        for (PluginDependency dependency : dependencies) {
            Optional<Reservation> stable = reservations.stream()
                    .filter(r -> r.settled() && r.sameSlot(dependency.pluginId(), environment)).findFirst();
            if (stable.isEmpty()) {
                missing.add(dependency);
            } else if (!satisfies(stable.get().pluginVersion(), dependency.versionRange())) {
                conflicts.add(new DependencyConflict(dependency.pluginId(), dependency.versionRange(),
                        stable.get().pluginVersion(), stable.get().environment()));
            }
        }
        return new Verdict(missing, conflicts);
    }

    static boolean satisfies(String version, String range) {
        return version != null && VersionRange.parse(range).isSatisfiedBy(SemanticVersion.parse(version));
    }
}
