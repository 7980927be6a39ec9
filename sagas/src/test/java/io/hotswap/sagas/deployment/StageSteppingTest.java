package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.AdvanceDeploymentStageCommand;
import io.hotswap.api.deployment.CompleteDeploymentCommand;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.sagas.deployment.FakePluginRuntime.ScaleCall;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class StageSteppingTest {

    private static final String NEW = "2.0.0";
    private static final DeploymentTarget TARGET = new DeploymentTarget("acme", "invoice-export", "production");

    private final FakePluginRuntime runtime = new FakePluginRuntime();
    private final DeploymentRuntime deploymentRuntime = FakePluginVersions.over(runtime);

    @ParameterizedTest(name = "{0} replacing {2} of {1}, stage {3}: {4} new, {5} old")
    @CsvSource(nullValues = "none", value = {
            "Canary,    1.0.0, 10,  0,  1,    9",
            "Canary,    1.0.0, 10,  2,  5,    5",
            "Canary,    1.0.0, 10,  3, 10,    0",
            "Canary,    1.0.0,  6,  0,  1,    5",    // an old set of another size hands over its own share
            "Canary,    1.0.0, 10, -1,  1,    9",    // no stage entered yet: counted as the first
            "Rolling,   1.0.0, 10,  1,  6,    4",
            "BlueGreen, 1.0.0, 10,  0, 10,   10",    // the old set serves until completion
            "Direct,    1.0.0, 10,  0, 10,    0",
            "Canary,    none,  10,  1,  3, none",    // a first install has no old version to scale
            "Canary,    2.0.0, 10,  1,  3, none",    // nor has a deployment of the version already running
    })
    void aStageRunsItsShareOfEachVersion(DeploymentStrategy strategy, String previous, int previousInstances,
                                         int stage, int expectedNew, Integer expectedOld) {
        stepping(plan(strategy), previous, previousInstances).reconcile(deploymentRuntime, stage);

        List<ScaleCall> expected = new ArrayList<>(List.of(new ScaleCall(TARGET, NEW, expectedNew)));
        if (expectedOld != null) expected.add(new ScaleCall(TARGET, previous, expectedOld));
        assertThat(runtime.scaleCalls()).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "completing a deployment replacing {0} retires it: {1}")
    @CsvSource(nullValues = "none", value = {"1.0.0, true", "none, false", "2.0.0, false"})
    void completionRetiresOnlyAnotherVersion(String previous, boolean retired) {
        stepping(plan(DeploymentStrategy.Canary), previous, 10).retirePrevious(deploymentRuntime);

        assertThat(runtime.scaleCalls()).isEqualTo(retired ? List.of(new ScaleCall(TARGET, previous, 0)) : List.of());
    }

    @ParameterizedTest(name = "stage {2} with {0} healthy and {1} starting passes: {3}")
    @CsvSource({
            "3, 0,  1, true",
            "5, 0,  1, true",   // more than the stage runs, all healthy
            "2, 0,  1, false",  // fewer than the stage runs
            "3, 1,  1, false",  // one still starting holds the stage
            "0, 0,  0, false",
            "1, 0,  0, true",
            "1, 0, -1, true",   // no stage entered yet: judged as the first
    })
    void aStagePassesWhenEveryInstanceIsHealthyAndThereAreEnough(int healthy, int starting, int stage, boolean passes) {
        List<InstanceHealth> instances = IntStream.range(0, healthy + starting).mapToObj(i -> new InstanceHealth(
                "i-" + i, NEW, i < healthy ? InstanceState.Healthy : InstanceState.Starting, null)).toList();
        HealthCheckRecorded check = new HealthCheckRecorded("dep-1", "acme", instances, starting == 0 && healthy > 0, 0);

        assertThat(stepping(plan(DeploymentStrategy.Canary), "1.0.0", 10).passes(stage, check)).isEqualTo(passes);
    }

    @ParameterizedTest(name = "after stage {0} of 4 the deployment completes: {1}")
    @CsvSource({"0, false", "1, false", "2, false", "3, true"})
    void aDueStageMovesOnToTheNextOrCompletesAfterTheLast(int stage, boolean completes) {
        Object next = stepping(plan(DeploymentStrategy.Canary), "1.0.0", 10).next(stage);

        assertThat(next).isEqualTo(completes ? new CompleteDeploymentCommand("dep-1")
                : new AdvanceDeploymentStageCommand("dep-1", stage + 1));
    }

    private static StageStepping stepping(DeploymentPlan plan, String previous, int previousInstances) {
        return new StageStepping("dep-1", TARGET, plan, NEW, previous, previousInstances);
    }

    /** Plans for 10 instances: Canary 1, 3, 5, 10; Rolling in batches of 3; BlueGreen and Direct all at once. */
    private static DeploymentPlan plan(DeploymentStrategy strategy) {
        int[] steps = switch (strategy) {
            case Canary -> new int[] {1, 3, 5, 10};
            case Rolling -> new int[] {3, 6, 9, 10};
            case BlueGreen, Direct -> new int[] {10};
        };
        return new DeploymentPlan(strategy, Arrays.stream(steps).mapToObj(n -> new DeploymentStep(n * 10, n, 60)).toList(),
                30, 3, 600);
    }
}
