package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.ConfirmDeploymentRollbackCommand;
import io.hotswap.api.deployment.FailDeploymentCommand;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A rollback or abort, begun {@code since}: none of {@code version} runs any more, and {@code restoreInstances} of
 * {@code restoreVersion} run again (nothing for a first install, where {@code restoreVersion} is null).
 */
record RollbackConfirmation(String deploymentId, DeploymentTarget target, String version, String restoreVersion,
                            int restoreInstances, Instant since) {

    /** How long a rollback may take to be confirmed before the deployment is declared Failed. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    /**
     * Takes the new version down and the restored one up (idempotent, so every check repeats it), then says how the
     * rollback stands at {@code now}: confirmed once the runtime shows exactly that, failed once {@link #TIMEOUT}
     * passed without it, and otherwise nothing yet, to be checked again.
     */
    Optional<Object> reconcile(DeploymentRuntime runtime, Instant now) {
        runtime.scale(target, version, 0);
        if (restoreVersion != null) runtime.scale(target, restoreVersion, restoreInstances);
        Map<String, Integer> running = runtime.running(target);
        if (restored(running)) return Optional.of(new ConfirmDeploymentRollbackCommand(deploymentId));
        if (now.isAfter(since.plus(TIMEOUT))) {
            return Optional.of(new FailDeploymentCommand(deploymentId, "the runtime did not confirm the rollback within "
                    + TIMEOUT.toMinutes() + " minutes; running now: " + running));
        }
        return Optional.empty();
    }

    private boolean restored(Map<String, Integer> running) {
        return running.getOrDefault(version, 0) == 0
                && (restoreVersion == null || running.getOrDefault(restoreVersion, 0) >= restoreInstances);
    }
}
