package io.hotswap.command.deployment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.hotswap.api.deployment.AbortDeploymentCommand;
import io.hotswap.api.deployment.ActivateDeploymentCommand;
import io.hotswap.api.deployment.AdvanceDeploymentStageCommand;
import io.hotswap.api.deployment.CompleteDeploymentCommand;
import io.hotswap.api.deployment.ConfirmDeploymentRollbackCommand;
import io.hotswap.api.deployment.DeploymentAborted;
import io.hotswap.api.deployment.DeploymentActivated;
import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentHealthChanged;
import io.hotswap.api.deployment.DeploymentPaused;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentPromoted;
import io.hotswap.api.deployment.DeploymentResumed;
import io.hotswap.api.deployment.DeploymentRollbackStarted;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.deployment.DeploymentStageAdvanced;
import io.hotswap.api.deployment.DeploymentStarted;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.DeploymentSupervisionStarted;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.FailDeploymentCommand;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.api.deployment.PauseDeploymentCommand;
import io.hotswap.api.deployment.PromoteDeploymentCommand;
import io.hotswap.api.deployment.RecordDeploymentHealthChangeCommand;
import io.hotswap.api.deployment.RecordHealthCheckCommand;
import io.hotswap.api.deployment.ResumeDeploymentCommand;
import io.hotswap.api.deployment.RollbackDeploymentCommand;
import io.hotswap.api.deployment.SuperviseDeploymentCommand;
import io.hotswap.api.error.ConflictException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Map;

import static io.hotswap.api.deployment.DeploymentStatus.Completed;
import static io.hotswap.api.deployment.DeploymentStatus.InProgress;
import static io.hotswap.api.deployment.DeploymentStatus.Paused;
import static io.hotswap.api.deployment.DeploymentStatus.Queued;
import static io.hotswap.api.deployment.DeploymentStatus.RollingBack;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One rollout of a plugin version to a tenant's environment, and its status machine:
 * Queued → InProgress (⇄ Paused) → Completed, or → RollingBack → RolledBack (Failed when aborted).
 * Created by {@link StartDeploymentHandler}, which reserves the tenant's quota in the same transaction.
 */
@Aggregate(cache = "aggregateCache", lockFactory = "deploymentLocks", snapshotTriggerDefinition = "aggregateSnapshots")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE) // snapshots hold the fields
public class Deployment {

    @AggregateIdentifier
    private String deploymentId;
    private String tenantId;
    private String pluginId;
    private String pluginVersion;
    private String environment;
    private String previousVersion;
    private Integer previousInstances;
    private int totalInstances;
    private DeploymentPlan plan;
    private DeploymentStatus status;
    private int stage = -1; // no step executed yet: no instance of the new version was ever started
    private int consecutiveFailures;
    private String abortReason; // set while an abort is taking the new instances down
    private boolean supervisionStarted; // by a SuperviseDeploymentCommand, for a deployment an earlier build completed

    protected Deployment() {
        // for Axon
    }

    Deployment(String deploymentId, String tenantId, String pluginId, String pluginVersion, String environment,
               Map<String, String> strategyConfig, DeploymentPlan plan, int totalInstances, String previousVersion,
               Integer previousInstances) {
        apply(new DeploymentStarted(deploymentId, tenantId, pluginId, pluginVersion, environment, strategyConfig,
                plan, totalInstances, previousVersion, previousInstances));
    }

    @CommandHandler
    public void handle(ActivateDeploymentCommand command) {
        if (status != Queued) return; // activated already, or ended while it waited
        apply(new DeploymentActivated(deploymentId, tenantId));
    }

    @CommandHandler
    public void handle(AdvanceDeploymentStageCommand command) {
        if (command.stage() <= stage) return; // a repeated step (a redelivered deadline) changes nothing
        requireStatus("advance", InProgress);
        if (command.stage() != stage + 1 || command.stage() >= plan.steps().size()) {
            throw new ConflictException("invalid-stage", "Deployment " + deploymentId + " is at stage " + stage
                    + " of " + plan.steps().size() + " and cannot move to stage " + command.stage());
        }
        DeploymentStep step = plan.steps().get(command.stage());
        apply(new DeploymentStageAdvanced(deploymentId, tenantId, command.stage(), step.percentage(), step.instances()));
    }

    @CommandHandler
    public void handle(RecordHealthCheckCommand command) {
        if (status != InProgress && status != Paused) return; // a late check: nothing to judge any more
        // whether the stage has as many instances as it needs is the saga's to judge: here, only that some run
        OverallHealth verdict = OverallHealth.ofStage(command.instances(), 1);
        boolean healthy = verdict == OverallHealth.Healthy;
        apply(new HealthCheckRecorded(deploymentId, tenantId, command.instances(), healthy,
                healthy ? 0 : verdict.isFailure() ? consecutiveFailures + 1 : consecutiveFailures));
    }

    /** Supervision speaks only for a completed deployment: before, the saga's health checks judge; after, nothing runs. */
    @CommandHandler
    public void handle(RecordDeploymentHealthChangeCommand command) {
        if (status != Completed) return;
        apply(new DeploymentHealthChanged(deploymentId, tenantId, command.health(), command.instances(), command.reason()));
    }

    @CommandHandler
    public void handle(SuperviseDeploymentCommand command) {
        if (status != Completed || supervisionStarted) return;
        apply(new DeploymentSupervisionStarted(deploymentId, tenantId, pluginId, pluginVersion, environment,
                totalInstances, plan));
    }

    @CommandHandler
    public DeploymentStatus handle(PauseDeploymentCommand command) {
        if (status == Paused) return status;
        requireStatus("pause", InProgress);
        apply(new DeploymentPaused(deploymentId, tenantId, command.requestedBy()));
        return status;
    }

    @CommandHandler
    public DeploymentStatus handle(ResumeDeploymentCommand command) {
        if (status == InProgress) return status;
        requireStatus("resume", Paused);
        apply(new DeploymentResumed(deploymentId, tenantId, command.requestedBy()));
        return status;
    }

    @CommandHandler
    public DeploymentStatus handle(PromoteDeploymentCommand command) {
        requireStatus("promote", InProgress, Paused);
        int last = plan.steps().size() - 1;
        if (stage == last) return status;
        DeploymentStep step = plan.steps().get(last);
        apply(new DeploymentPromoted(deploymentId, tenantId, last, step.percentage(), step.instances(),
                command.requestedBy()));
        return status;
    }

    @CommandHandler
    public void handle(CompleteDeploymentCommand command) {
        if (status == Completed) return;
        requireStatus("complete", InProgress);
        if (stage != plan.steps().size() - 1) {
            throw new ConflictException("invalid-stage", "Deployment " + deploymentId + " is at stage " + stage
                    + " and completes only after its last stage " + (plan.steps().size() - 1));
        }
        apply(new DeploymentCompleted(deploymentId, tenantId, pluginId, pluginVersion, environment));
    }

    /** @return the status afterwards: RolledBack at once when no instance of the new version was ever started */
    @CommandHandler
    public DeploymentStatus handle(RollbackDeploymentCommand command, RollbackGuard guard) {
        requireStatus("roll back", Queued, InProgress, Paused, Completed);
        if (status == Completed && previousVersion == null && !command.removePlugin()) {
            throw new ConflictException("nothing-to-restore", "Deployment " + deploymentId + " is the first of plugin '"
                    + pluginId + "' in " + environment + ": rolling it back restores no version and takes all "
                    + totalInstances + " instances down. Send \"removePlugin\": true with the reason if that is what you mean");
        }
        if (status == Completed) guard.check(tenantId, deploymentId);
        apply(new DeploymentRollbackStarted(deploymentId, tenantId, pluginId, pluginVersion, environment,
                totalInstances, command.reason(), command.requestedBy(), command.automatic(), previousVersion,
                previousInstances));
        if (stage < 0) apply(new DeploymentRolledBack(deploymentId, tenantId, previousVersion));
        return status;
    }

    /** @return the status afterwards: Failed at once when no instance of the new version was ever started */
    @CommandHandler
    public DeploymentStatus handle(AbortDeploymentCommand command) {
        requireStatus("abort", Queued, InProgress, Paused);
        String reason = "aborted by " + command.requestedBy() + ": " + command.reason();
        apply(new DeploymentAborted(deploymentId, tenantId, reason, command.requestedBy(), previousVersion));
        if (stage < 0) apply(new DeploymentFailed(deploymentId, tenantId, reason));
        return status;
    }

    @CommandHandler
    public void handle(FailDeploymentCommand command) {
        if (status.isTerminal()) return;
        requireStatus("fail", RollingBack);
        apply(new DeploymentFailed(deploymentId, tenantId, command.reason()));
    }

    @CommandHandler
    public void handle(ConfirmDeploymentRollbackCommand command) {
        if (status.isTerminal()) return;
        requireStatus("confirm the rollback of", RollingBack);
        if (abortReason != null) {
            apply(new DeploymentFailed(deploymentId, tenantId, abortReason));
        } else {
            apply(new DeploymentRolledBack(deploymentId, tenantId, previousVersion));
        }
    }

    private void requireStatus(String action, DeploymentStatus... allowed) {
        for (DeploymentStatus s : allowed) {
            if (status == s) return;
        }
        throw new ConflictException("invalid-deployment-status", "Cannot " + action + " deployment " + deploymentId
                + " while it is " + status, Map.of("status", status.name()));
    }

    @EventSourcingHandler
    void on(DeploymentStarted event) {
        deploymentId = event.deploymentId();
        tenantId = event.tenantId();
        pluginId = event.pluginId();
        pluginVersion = event.pluginVersion();
        environment = event.environment();
        previousVersion = event.previousVersion();
        previousInstances = event.previousInstances();
        totalInstances = event.totalInstances();
        plan = event.plan();
        status = Queued;
    }

    @EventSourcingHandler
    void on(DeploymentActivated event) {
        status = InProgress;
    }

    @EventSourcingHandler
    void on(DeploymentStageAdvanced event) {
        stage = event.stage();
    }

    @EventSourcingHandler
    void on(DeploymentPromoted event) {
        stage = event.stage();
        status = InProgress;
    }

    @EventSourcingHandler
    void on(DeploymentPaused event) {
        status = Paused;
    }

    @EventSourcingHandler
    void on(DeploymentResumed event) {
        status = InProgress;
    }

    @EventSourcingHandler
    void on(HealthCheckRecorded event) {
        consecutiveFailures = event.consecutiveFailures();
    }

    @EventSourcingHandler
    void on(DeploymentCompleted event) {
        status = Completed;
    }

    @EventSourcingHandler
    void on(DeploymentSupervisionStarted event) {
        supervisionStarted = true;
    }

    @EventSourcingHandler
    void on(DeploymentRollbackStarted event) {
        status = RollingBack;
    }

    @EventSourcingHandler
    void on(DeploymentAborted event) {
        status = RollingBack;
        abortReason = event.reason();
    }

    @EventSourcingHandler
    void on(DeploymentRolledBack event) {
        status = DeploymentStatus.RolledBack;
    }

    @EventSourcingHandler
    void on(DeploymentFailed event) {
        status = DeploymentStatus.Failed;
    }
}
