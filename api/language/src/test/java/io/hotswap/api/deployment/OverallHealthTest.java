package io.hotswap.api.deployment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class OverallHealthTest {

    /**
     * Instances by the first letter of their state: H Healthy, S Starting, U Unhealthy, N NotAnswering, E Exited,
     * C CrashLooping; "-" is none.
     */
    @ParameterizedTest(name = "[{0}] wanting {1}: running {2}, stage {3}")
    @CsvSource({
            "-,     1, Starting,     Starting",     // nothing runs: never healthy
            "-,     0, Starting,     Starting",
            "H,     1, Healthy,      Healthy",
            "HH,    2, Healthy,      Healthy",
            "H,     2, Starting,     Starting",     // too few
            "HS,    1, Healthy,      Starting",     // enough healthy; a running deployment does not wait for the rest
            "HHS,   2, Healthy,      Starting",
            "S,     1, Starting,     Starting",
            "HHH,   2, Healthy,      Healthy",      // more than wanted, all healthy
            "HU,    1, Unhealthy,    Unhealthy",
            "HN,    1, Unhealthy,    Unhealthy",
            "HE,    1, Unhealthy,    Unhealthy",
            "SU,    2, Unhealthy,    Unhealthy",    // a failure outweighs instances still starting
            "UC,    1, CrashLooping, CrashLooping", // and a crash loop outweighs every other failure
            "HC,    1, CrashLooping, CrashLooping",
    })
    void judgesARunningDeploymentAndARolloutStage(String states, int wanted, OverallHealth running, OverallHealth stage) {
        List<InstanceHealth> instances = instances(states);
        assertThat(OverallHealth.of(instances, wanted)).as("running").isEqualTo(running);
        assertThat(OverallHealth.ofStage(instances, wanted)).as("stage").isEqualTo(stage);
    }

    @ParameterizedTest(name = "{0} is a failure: {1}")
    @CsvSource({"Unknown, false", "Starting, false", "Healthy, false", "Unhealthy, true", "CrashLooping, true"})
    void onlyUnhealthyAndCrashLoopingAreFailures(OverallHealth health, boolean failure) {
        assertThat(health.isFailure()).isEqualTo(failure);
    }

    private static List<InstanceHealth> instances(String states) {
        if (states.equals("-")) return List.of();
        return IntStream.range(0, states.length())
                .mapToObj(i -> new InstanceHealth("i-" + (i + 1), "2.0.0", state(states.charAt(i)), null)).toList();
    }

    private static InstanceState state(char letter) {
        return Arrays.stream(InstanceState.values()).filter(s -> s.name().charAt(0) == letter).findFirst().orElseThrow();
    }
}
