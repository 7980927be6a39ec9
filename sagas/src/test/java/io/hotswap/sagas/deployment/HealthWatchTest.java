package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.sagas.deployment.FakePluginRuntime.ReplaceCall;
import io.hotswap.sagas.deployment.FakePluginRuntime.ScaleCall;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthWatchTest {

    private static final String NEW = "2.0.0";
    private static final DeploymentTarget TARGET = new DeploymentTarget("acme", "invoice-export", "production");
    private static final int THRESHOLD = 3;

    private final FakePluginRuntime runtime = new FakePluginRuntime();
    private final DeploymentRuntime deploymentRuntime = FakePluginVersions.over(runtime);
    private final HealthWatch watch = new HealthWatch("dep-1", TARGET, NEW, 4, THRESHOLD);

    @ParameterizedTest(name = "{0} failed checks in a row of a threshold of 3: roll back {1}")
    @CsvSource({"0, false", "2, false", "3, true", "5, true"})
    void aStageRollsBackOnceItsChecksFailedThresholdTimesInARow(int failures, boolean rollBack) {
        HealthCheckRecorded check = new HealthCheckRecorded("dep-1", "acme",
                List.of(instance("i-1", InstanceState.Unhealthy, 0)), false, failures);

        assertThat(watch.failedTooOften(check)).isEqualTo(rollBack);
    }

    @Test
    void aCompletedDeploymentIsBroughtBackToItsFullCount() {
        runtime.alreadyRunning(TARGET, NEW, 4);
        runtime.lose(TARGET, NEW, 1);

        watch.reconcileCount(deploymentRuntime);

        assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, 4));
        assertThat(runtime.runningCount(TARGET, NEW)).isEqualTo(4);
    }

    @ParameterizedTest(name = "not answering {0} checks before, now {1}: replaced {2}, counted {3}")
    @CsvSource(nullValues = "none", value = {
            "0, NotAnswering, false,    1",
            "1, NotAnswering, false,    2",
            "2, NotAnswering, true,  none",   // the third check in a row: started anew, and counted from nothing
            "7, NotAnswering, true,  none",
            "2, Healthy,      false, none",   // answered again: the count starts over
            "2, Exited,       false, none",   // the runtime restarts exited instances itself
    })
    void anInstanceIsReplacedWhenItHasNotAnsweredThresholdChecksInARow(int before, InstanceState now,
                                                                       boolean replaced, Integer counted) {
        Map<String, Integer> counts = watch.replaceUnanswering(deploymentRuntime, List.of(instance("i-1", now, 0)),
                Map.of("i-1", before, "i-gone", 1));

        assertThat(runtime.replaceCalls()).isEqualTo(replaced ? List.of(new ReplaceCall(TARGET, "i-1")) : List.of());
        assertThat(counts).isEqualTo(counted == null ? Map.of() : Map.of("i-1", counted));
    }

    @ParameterizedTest(name = "{0} restarts seen, {1} now: restarted {2}")
    @CsvSource(nullValues = "none", value = {"1, 1, false", "1, 3, true", "none, 1, true", "none, 0, false"})
    void anInstanceRestartedWhenItsRestartCountWentUp(Integer seen, int now, boolean restarted) {
        List<InstanceHealth> instances = List.of(instance("i-1", InstanceState.Healthy, now));
        Map<String, Integer> restartsSeen = seen == null ? Map.of() : Map.of("i-1", seen);

        assertThat(HealthWatch.restartedSince(restartsSeen, instances)).isEqualTo(restarted ? instances : List.of());
        assertThat(HealthWatch.restarts(instances)).isEqualTo(Map.of("i-1", now));
    }

    @Test
    void aCrashLoopIsCountedWhenItBeginsAndEveryRestartAsItHappens() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        List<InstanceHealth> twoRestarted = List.of(instance("i-1", InstanceState.CrashLooping, 3),
                instance("i-2", InstanceState.CrashLooping, 4));

        watch.count(metrics, OverallHealth.Healthy, OverallHealth.CrashLooping, twoRestarted);
        watch.count(metrics, OverallHealth.CrashLooping, OverallHealth.CrashLooping, twoRestarted.subList(0, 1));

        assertThat(metrics.counter("plugin.instance.crash.loops", "tenant", "acme", "plugin", "invoice-export").count())
                .isEqualTo(1.0);
        assertThat(metrics.counter("plugin.instance.restarts", "tenant", "acme", "plugin", "invoice-export").count())
                .isEqualTo(3.0);
    }

    private static InstanceHealth instance(String id, InstanceState state, int restarts) {
        return new InstanceHealth(id, NEW, state, null, restarts);
    }
}
