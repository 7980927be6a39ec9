package io.hotswap.sagas.runtime;

import io.hotswap.api.deployment.InstanceHealth;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the deployment saga assumes of every {@link PluginRuntime}: the test double its tests use and each adapter
 * implement this interface and so run the same cases. An implementation names the runtime under test and gives each
 * case a target of its own and two versions it can run.
 */
public interface PluginRuntimeContract {

    PluginRuntime runtime();

    /** A target no other case uses, whose {@link #version()} and {@link #otherVersion()} the runtime can run. */
    DeploymentTarget freshTarget();

    /** The version the cases run. */
    PluginVersionSpec version();

    /** A second version of the same plugin. */
    PluginVersionSpec otherVersion();

    /** How long the runtime may take to show what it was asked for (a local process needs a moment to start). */
    default Duration settleTime() {
        return Duration.ofSeconds(30);
    }

    @Test
    default void scaleRunsExactlyTheInstancesAskedFor() {
        DeploymentTarget target = freshTarget();
        runtime().scale(target, version(), 3);
        awaitRunning(target, Map.of(version().version(), 3));
        runtime().scale(target, version(), 1);
        awaitRunning(target, Map.of(version().version(), 1));
    }

    @Test
    default void scalingTwiceToTheSameCountChangesNothing() {
        DeploymentTarget target = freshTarget();
        runtime().scale(target, version(), 2);
        awaitRunning(target, Map.of(version().version(), 2));
        List<String> before = instanceIds(target);
        runtime().scale(target, version(), 2);
        assertThat(instanceIds(target)).isEqualTo(before);
    }

    @Test
    default void twoVersionsOfATargetAndTwoTargetsScaleApart() {
        DeploymentTarget target = freshTarget();
        DeploymentTarget other = freshTarget();
        runtime().scale(target, version(), 2);
        runtime().scale(target, otherVersion(), 1);
        runtime().scale(other, version(), 1);
        awaitRunning(target, Map.of(version().version(), 2, otherVersion().version(), 1));
        runtime().scale(target, version(), 0);
        awaitRunning(target, Map.of(otherVersion().version(), 1));
        awaitRunning(other, Map.of(version().version(), 1));
    }

    @Test
    default void checkAnswersOnceForEveryInstanceOfTheVersion() {
        DeploymentTarget target = freshTarget();
        runtime().scale(target, version(), 2);
        runtime().scale(target, otherVersion(), 1);
        awaitRunning(target, Map.of(version().version(), 2, otherVersion().version(), 1));
        List<InstanceHealth> checked = runtime().check(target, version().version());
        assertThat(checked).hasSize(2).allSatisfy(health -> assertThat(health.version()).isEqualTo(version().version()));
        assertThat(checked).extracting(InstanceHealth::instanceId).doesNotHaveDuplicates();
    }

    @Test
    default void nothingRunsOnceScaledToZero() {
        DeploymentTarget target = freshTarget();
        runtime().scale(target, version(), 2);
        awaitRunning(target, Map.of(version().version(), 2));
        runtime().scale(target, version(), 0);
        awaitRunning(target, Map.of());
        assertThat(runtime().check(target, version().version())).isEmpty();
    }

    @Test
    default void aReplacedInstanceKeepsTheCountAndAnUnknownOneIsIgnored() {
        DeploymentTarget target = freshTarget();
        runtime().scale(target, version(), 2);
        awaitRunning(target, Map.of(version().version(), 2));
        runtime().replace(target, instanceIds(target).get(0));
        runtime().replace(target, "no-such-instance");
        awaitRunning(target, Map.of(version().version(), 2));
        assertThat(runtime().check(target, version().version())).hasSize(2);
    }

    private void awaitRunning(DeploymentTarget target, Map<String, Integer> expected) {
        Supplier<Map<String, Integer>> running = () -> runtime().running(target);
        await().atMost(settleTime()).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(running.get()).isEqualTo(expected));
    }

    private List<String> instanceIds(DeploymentTarget target) {
        return runtime().check(target, version().version()).stream().map(InstanceHealth::instanceId).sorted().toList();
    }
}
