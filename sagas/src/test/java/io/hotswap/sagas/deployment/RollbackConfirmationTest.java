package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.ConfirmDeploymentRollbackCommand;
import io.hotswap.api.deployment.FailDeploymentCommand;
import io.hotswap.sagas.deployment.FakePluginRuntime.ScaleCall;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RollbackConfirmationTest {

    private static final String NEW = "2.0.0";
    private static final String OLD = "1.0.0";
    private static final DeploymentTarget TARGET = new DeploymentTarget("acme", "invoice-export", "production");
    private static final Instant SINCE = Instant.parse("2026-11-27T20:00:00Z");

    private final FakePluginRuntime runtime = new FakePluginRuntime();
    private final DeploymentRuntime deploymentRuntime = FakePluginVersions.over(runtime);

    @Test
    void takesTheNewVersionDownAndTheRestoredOneUpAtItsCount() {
        Optional<Object> outcome = restoring(OLD, 6).reconcile(deploymentRuntime, SINCE);

        assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, 6));
        assertThat(outcome).contains(new ConfirmDeploymentRollbackCommand("dep-1"));
    }

    /** What the runtime shows while it lags behind the scale calls, and how long after the rollback began. */
    @ParameterizedTest(name = "{0} new and {1} old running after {2} s: {3}")
    @CsvSource({
            "0, 6,   0, confirm",
            "0, 7,   0, confirm",   // more of the restored version than asked for still restores it
            "3, 3,   0, wait",
            "0, 5,   1, wait",      // the new version gone, the old one not all back
            "3, 3, 600, wait",      // at the timeout, not yet past it
            "3, 3, 601, fail",
            "0, 6, 601, confirm",   // late, but done
    })
    void confirmsOnceTheRuntimeShowsTheRestoreAndFailsOnlyPastTheTimeout(int newRunning, int oldRunning, int seconds,
                                                                        String expected) {
        runtime.alreadyRunning(TARGET, OLD, oldRunning);
        runtime.alreadyRunning(TARGET, NEW, newRunning);
        runtime.lag();

        Optional<Object> outcome = restoring(OLD, 6).reconcile(deploymentRuntime, SINCE.plusSeconds(seconds));

        assertThat(outcome).isEqualTo(switch (expected) {
            case "confirm" -> Optional.of(new ConfirmDeploymentRollbackCommand("dep-1"));
            case "fail" -> Optional.of(new FailDeploymentCommand("dep-1",
                    "the runtime did not confirm the rollback within 10 minutes; running now: {1.0.0=3, 2.0.0=3}"));
            default -> Optional.empty();
        });
    }

    @Test
    void aFirstInstallIsRolledBackOnceNoInstanceOfItRuns() {
        runtime.alreadyRunning(TARGET, NEW, 2);
        runtime.lag();
        RollbackConfirmation firstInstall = restoring(null, 0);

        assertThat(firstInstall.reconcile(deploymentRuntime, SINCE)).isEmpty();
        runtime.catchUp();
        assertThat(firstInstall.reconcile(deploymentRuntime, SINCE.plusSeconds(1)))
                .contains(new ConfirmDeploymentRollbackCommand("dep-1"));
        assertThat(runtime.scaleCalls()).containsOnly(new ScaleCall(TARGET, NEW, 0));
    }

    private static RollbackConfirmation restoring(String restoreVersion, int restoreInstances) {
        return new RollbackConfirmation("dep-1", TARGET, NEW, restoreVersion, restoreInstances, SINCE);
    }
}
