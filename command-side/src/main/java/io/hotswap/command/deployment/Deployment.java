package io.hotswap.command.deployment;

import io.hotswap.api.deployment.AdvanceDeploymentStageCommand;
import io.hotswap.api.deployment.CompleteDeploymentCommand;
import io.hotswap.api.deployment.ConfirmDeploymentRollbackCommand;
import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentRollbackStarted;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.deployment.DeploymentStageAdvanced;
import io.hotswap.api.deployment.DeploymentStarted;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.RecordHealthCheckCommand;
import io.hotswap.api.deployment.RollbackDeploymentCommand;
import io.hotswap.api.error.ConflictException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One rollout of a plugin version to a tenant's environment, and its status machine:
 * InProgress → Completed, or → RollingBack → RolledBack. Created by {@link StartDeploymentHandler}, which
 * reserves the tenant's quota in the same transaction.
 */
@Aggregate
public class Deployment {

    @AggregateIdentifier
    private String deploymentId;
    private String tenantId;
    private String pluginId;
    private String pluginVersion;
    private String environment;
    private String previousVersion;
    private DeploymentPlan plan;
    private DeploymentStatus status;
    private int stage = -1; // no step executed yet: no instance of the new version was ever started
    private int consecutiveFailures;

    protected Deployment() {
        // for Axon
    }

    Deployment(String deploymentId, String tenantId, String pluginId, String pluginVersion, String environment,
               Map<String, String> strategyConfig, DeploymentPlan plan, int totalInstances, String previousVersion) {
        apply(new DeploymentStarted(deploymentId, tenantId, pluginId, pluginVersion, environment, strategyConfig,
                plan, totalInstances, previousVersion));
    }

    @CommandHandler
    public void handle(AdvanceDeploymentStageCommand command) {
        if (command.stage() == stage) return; // a repeated step (a redelivered deadline) changes nothing
        requireStatus("advance", DeploymentStatus.InProgress);
        if (command.stage() != stage + 1 || command.stage() >= plan.steps().size()) {
            throw new ConflictException("invalid-stage", "Deployment " + deploymentId + " is at stage " + stage
                    + " of " + plan.steps().size() + " and cannot move to stage " + command.stage());
        }
        DeploymentStep step = plan.steps().get(command.stage());
        apply(new DeploymentStageAdvanced(deploymentId, tenantId, command.stage(), step.percentage(), step.instances()));
    }

    @CommandHandler
    public void handle(RecordHealthCheckCommand command) {
        if (!status.isActive()) return; // a late check after the end: nothing to judge any more
        boolean healthy = !command.instances().isEmpty()
                && command.instances().stream().allMatch(i -> i.ready() && i.healthy());
        apply(new HealthCheckRecorded(deploymentId, tenantId, command.instances(), healthy,
                healthy ? 0 : consecutiveFailures + 1));
    }

    @CommandHandler
    public void handle(CompleteDeploymentCommand command) {
        if (status == DeploymentStatus.Completed) return;
        requireStatus("complete", DeploymentStatus.InProgress);
        if (stage != plan.steps().size() - 1) {
            throw new ConflictException("invalid-stage", "Deployment " + deploymentId + " is at stage " + stage
                    + " and completes only after its last stage " + (plan.steps().size() - 1));
        }
        apply(new DeploymentCompleted(deploymentId, tenantId, pluginId, pluginVersion, environment));
    }

    /** @return the status the deployment is in afterwards: RolledBack at once when nothing was started yet */
    @CommandHandler
    public DeploymentStatus handle(RollbackDeploymentCommand command) {
        requireStatus("roll back", DeploymentStatus.InProgress, DeploymentStatus.Paused, DeploymentStatus.Queued,
                DeploymentStatus.Completed);
        apply(new DeploymentRollbackStarted(deploymentId, tenantId, command.reason(), command.requestedBy(),
                command.automatic(), previousVersion));
        if (stage < 0) {
            // Nothing of the new version was ever started, so there is nothing to take down.
            apply(new DeploymentRolledBack(deploymentId, tenantId, previousVersion));
        }
        return status;
    }

    @CommandHandler
    public void handle(ConfirmDeploymentRollbackCommand command) {
        if (status == DeploymentStatus.RolledBack) return;
        requireStatus("confirm the rollback of", DeploymentStatus.RollingBack);
        apply(new DeploymentRolledBack(deploymentId, tenantId, previousVersion));
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
        plan = event.plan();
        status = DeploymentStatus.InProgress;
    }

    @EventSourcingHandler
    void on(DeploymentStageAdvanced event) {
        stage = event.stage();
    }

    @EventSourcingHandler
    void on(HealthCheckRecorded event) {
        consecutiveFailures = event.consecutiveFailures();
    }

    @EventSourcingHandler
    void on(DeploymentCompleted event) {
        status = DeploymentStatus.Completed;
    }

    @EventSourcingHandler
    void on(DeploymentRollbackStarted event) {
        status = DeploymentStatus.RollingBack;
    }

    @EventSourcingHandler
    void on(DeploymentRolledBack event) {
        status = DeploymentStatus.RolledBack;
    }
}
