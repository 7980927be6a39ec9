package io.hotswap.api.deployment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentPlanTest {

    /** The guide's canary of 10: 1, 3, 5 and 10 new instances. */
    private static final DeploymentPlan CANARY = plan(DeploymentStrategy.Canary, 1, 3, 5, 10);

    @ParameterizedTest(name = "stage {0} of a canary of 10 replacing {1}: {2} old instances")
    @CsvSource({
            "0, 10, 9", "1, 10, 7", "2, 10, 5", "3, 10, 0",   // the same size: the old set shrinks as the new grows
            "0, 6, 5", "1, 6, 4", "2, 6, 3", "3, 6, 0",       // a smaller old set hands over its own share
            "0, 20, 18", "1, 20, 14", "2, 20, 10", "3, 20, 0" // and so does a larger one
    })
    void aCanaryHandsOverEachStagesShareOfTheOldSet(int stage, int previous, int expected) {
        assertThat(CANARY.previousInstancesAt(stage, previous)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} of 10 replacing {1}: peak {2} instances")
    @CsvSource({
            "Canary, 10, 10", "Canary, 6, 10", "Canary, 20, 20", "Canary, 0, 10",
            "Rolling, 10, 10", "Rolling, 3, 10",
            "BlueGreen, 10, 20", "BlueGreen, 6, 16",
            "Direct, 10, 10", "Direct, 14, 14"
    })
    void bothVersionsTogetherNeverRunMoreThanTheStrategyAllows(DeploymentStrategy strategy, int previous, int peak) {
        DeploymentPlan plan = switch (strategy) {
            case Canary -> CANARY;
            case Rolling -> plan(strategy, 3, 6, 9, 10);
            case BlueGreen, Direct -> plan(strategy, 10);
        };
        assertThat(plan.peak(1.0, previous, 1.0)).isEqualTo(peak);
    }

    @Test
    void thePeakWeighsEachVersionByWhatOneOfItsInstancesNeeds() {
        // 10 old at 0.5 CPU, 10 new at 1 CPU: the last step runs 10 new alone, 10 CPU
        assertThat(CANARY.peak(1.0, 10, 0.5)).isEqualTo(10.0);
        // 10 old at 1 CPU, 10 new at 0.5 CPU: the old set alone, before the first step, needs the most
        assertThat(CANARY.peak(0.5, 10, 1.0)).isEqualTo(10.0);
    }

    private static DeploymentPlan plan(DeploymentStrategy strategy, int... newInstances) {
        List<DeploymentStep> steps = Arrays.stream(newInstances)
                .mapToObj(n -> new DeploymentStep(n * 100 / newInstances[newInstances.length - 1], n, 0)).toList();
        return new DeploymentPlan(strategy, steps, 30, 2, 600);
    }
}
