package io.hotswap.api.deployment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.hotswap.api.deployment.InstanceState.CrashLooping;
import static io.hotswap.api.deployment.InstanceState.Exited;
import static io.hotswap.api.deployment.InstanceState.Healthy;
import static io.hotswap.api.deployment.InstanceState.NotAnswering;
import static io.hotswap.api.deployment.InstanceState.Starting;
import static io.hotswap.api.deployment.InstanceState.Unhealthy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each case: the text a function gives for its input, and the text expected. The reasons are stored in events and
 * the history lines in the read model, so none may change.
 */
class HealthReasonsTest {

    private static final InstanceHealth HEALTHY = instance("i-1", Healthy, null);

    @ParameterizedTest(name = "{1}")
    @MethodSource({"rollbackReasons", "supervisionChanges", "historyLinesOfAStagesChecks"})
    void readsExactlyAsRecordedBefore(String text, String expected) {
        assertThat(text).isEqualTo(expected);
    }

    static Stream<Arguments> rollbackReasons() {
        return Stream.of(
                arguments(HealthReasons.failedChecks(1, check(false, 3,
                                HEALTHY, instance("i-2", Unhealthy, "HTTP 503"), instance("i-3", Exited, null))),
                        "stage 2 failed 3 health checks in a row: i-2 (2.0.0) Unhealthy: HTTP 503; i-3 (2.0.0) Exited"),
                arguments(HealthReasons.failedChecks(0, check(false, 2,
                                instance("i-1", Starting, "no answer yet"), instance("i-2", NotAnswering, "timeout"))),
                        "stage 1 failed 2 health checks in a row: i-1 (2.0.0) Starting: no answer yet; "
                                + "i-2 (2.0.0) NotAnswering: timeout"),
                arguments(HealthReasons.notHealthyInTime(1, 120,
                                List.of(HEALTHY, instance("i-2", Starting, "no answer on /health yet"))),
                        "stage 2 was not healthy within 120 s: i-2 (2.0.0) Starting: no answer on /health yet"),
                arguments(HealthReasons.notHealthyInTime(0, 120, List.of()),
                        "stage 1 was not healthy within 120 s: too few instances running"),
                arguments(HealthReasons.notHealthyInTime(2, 600, List.of(HEALTHY)),
                        "stage 3 was not healthy within 600 s: too few instances running"));
    }

    static Stream<Arguments> supervisionChanges() {
        InstanceHealth failing = instance("i-10", Unhealthy, "GET /health answered 500");
        InstanceHealth restartedOnce = new InstanceHealth("i-10", "2.0.0", Healthy, null, 1);
        InstanceHealth restartedAndStarting = new InstanceHealth("i-2", "2.0.0", Starting, "exit code 1", 2);
        InstanceHealth crashLooping = new InstanceHealth("i-3", "2.0.0", CrashLooping, "exited 5 times", 5);
        return Stream.of(
                arguments(HealthReasons.healthChanged(OverallHealth.Healthy, OverallHealth.Unhealthy,
                                List.of(HEALTHY, failing), List.of()),
                        "Healthy → Unhealthy: i-10 (2.0.0) Unhealthy: GET /health answered 500"),
                arguments(HealthReasons.healthChanged(OverallHealth.Unhealthy, OverallHealth.Healthy,
                                List.of(HEALTHY), List.of()),
                        "Unhealthy → Healthy"),
                arguments(HealthReasons.healthChanged(OverallHealth.Healthy, OverallHealth.Healthy,
                                List.of(HEALTHY, restartedOnce), List.of(restartedOnce)),
                        "i-10 restarted (1 restart)"),
                arguments(HealthReasons.healthChanged(OverallHealth.Healthy, OverallHealth.Starting,
                                List.of(HEALTHY, restartedAndStarting), List.of(restartedAndStarting)),
                        "Healthy → Starting: i-2 restarted (2 restarts: exit code 1)"),
                arguments(HealthReasons.healthChanged(OverallHealth.Healthy, OverallHealth.CrashLooping,
                                List.of(HEALTHY, crashLooping), List.of(crashLooping)),
                        "Healthy → CrashLooping: i-3 (2.0.0) CrashLooping: exited 5 times; "
                                + "i-3 restarted (5 restarts: exited 5 times)"));
    }

    static Stream<Arguments> historyLinesOfAStagesChecks() {
        return Stream.of(
                arguments(HealthReasons.checkRecorded(check(true, 0, HEALTHY)), "healthy (1 instances)"),
                arguments(HealthReasons.checkRecorded(check(false, 2, instance("i-1", Unhealthy, "HTTP 500"),
                                instance("i-2", Healthy, null))),
                        "unhealthy, 2 in a row: i-1 Unhealthy (HTTP 500)"),
                arguments(HealthReasons.checkRecorded(check(false, 1, instance("i-1", Exited, null),
                                instance("i-2", NotAnswering, "timeout"))),
                        "unhealthy, 1 in a row: i-1 Exited; i-2 NotAnswering (timeout)"),
                // not healthy without a failure does not count toward the threshold: the line says what it waits for
                arguments(HealthReasons.checkRecorded(check(false, 0, instance("i-1", Starting, null),
                                instance("i-2", Healthy, null))),
                        "not healthy yet: 1 of 2 instances still starting"),
                arguments(HealthReasons.checkRecorded(check(false, 0)), "not healthy yet: no instances running"));
    }

    private static HealthCheckRecorded check(boolean healthy, int failures, InstanceHealth... instances) {
        return new HealthCheckRecorded("d-1", "tenant-a", List.of(instances), healthy, failures);
    }

    private static InstanceHealth instance(String id, InstanceState state, String detail) {
        return new InstanceHealth(id, "2.0.0", state, detail);
    }
}
