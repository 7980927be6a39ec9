package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.AdvanceDeploymentStageCommand;
import io.hotswap.api.deployment.CompleteDeploymentCommand;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;

/**
 * A deployment's stages on its target: what each stage runs of both versions, when a stage has passed, and what
 * follows it. {@code previousInstances} is how many of {@code previousVersion} ran before the deployment started.
 * A stage of -1 (none entered yet) counts as the first.
 */
record StageStepping(String deploymentId, DeploymentTarget target, DeploymentPlan plan, String version,
                     String previousVersion, int previousInstances) {

    /**
     * Brings both versions to the stage's counts, which the plan gives per strategy. Idempotent: every health check
     * repeats it, which also brings back what a crash left.
     */
    void reconcile(DeploymentRuntime runtime, int stage) {
        runtime.scale(target, version, step(stage).instances());
        if (replacesAnotherVersion()) {
            runtime.scale(target, previousVersion, plan.previousInstancesAt(Math.max(stage, 0), previousInstances));
        }
    }

    /** At completion: none of the version the deployment replaced runs any more. */
    void retirePrevious(DeploymentRuntime runtime) {
        if (replacesAnotherVersion()) runtime.scale(target, previousVersion, 0);
    }

    /** The stage's gate: every instance of the latest check healthy, and at least as many as the stage runs. */
    boolean passes(int stage, HealthCheckRecorded check) {
        return OverallHealth.ofStage(check.instances(), step(stage).instances()) == OverallHealth.Healthy;
    }

    /** What moves a stage on once it is due: the next stage, or completion after the last. */
    Object next(int stage) {
        return stage < plan.steps().size() - 1 ? new AdvanceDeploymentStageCommand(deploymentId, stage + 1)
                : new CompleteDeploymentCommand(deploymentId);
    }

    private DeploymentStep step(int stage) {
        return plan.steps().get(Math.max(stage, 0));
    }

    private boolean replacesAnotherVersion() {
        return previousVersion != null && !previousVersion.equals(version);
    }
}
