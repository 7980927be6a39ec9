package io.hotswap.projections;

import io.hotswap.api.audit.ActorMetaData;

import io.hotswap.api.deployment.DeploymentAborted;
import io.hotswap.api.deployment.DeploymentActivated;
import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentHealthChanged;
import io.hotswap.api.deployment.DeploymentPaused;
import io.hotswap.api.deployment.DeploymentPromoted;
import io.hotswap.api.deployment.DeploymentResumed;
import io.hotswap.api.deployment.DeploymentRollbackStarted;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.deployment.DeploymentStageAdvanced;
import io.hotswap.api.deployment.DeploymentStarted;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.DeploymentSupervisionStarted;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.HealthReasons;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.query.deployment.DeploymentBoard;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.stereotype.Component;

import java.time.Instant;

/** Keeps each deployment's status row and appends every step to its history. */
@Component
@ProcessingGroup("deployment-view")
public class DeploymentProjection {

    private final DeploymentBoard board;

    public DeploymentProjection(DeploymentBoard board) {
        this.board = board;
    }

    @EventHandler
    void on(DeploymentStarted event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        board.insert(event.deploymentId(), event.tenantId(), event.pluginId(), event.pluginVersion(),
                event.environment(), event.strategyConfig(), event.plan(), event.totalInstances(),
                event.previousVersion(), event.previousInstances(), at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentStarted",
                event.plan().strategy() + " of " + event.pluginId() + " " + event.pluginVersion() + " to "
                        + event.totalInstances() + " instances in " + event.environment()
                        + (event.previousVersion() == null ? "" : ", replacing " + event.previousVersion()), principal);
    }

    @EventHandler
    void on(DeploymentStageAdvanced event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        board.stageAdvanced(event.deploymentId(), event.stage() + 1, event.percentage(), event.desiredInstances(), at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentStageAdvanced",
                "stage " + (event.stage() + 1) + ": " + event.percentage() + "% (" + event.desiredInstances()
                        + " instances)", principal);
    }

    @EventHandler
    void on(HealthCheckRecorded event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        board.healthRecorded(event.deploymentId(), event.instances(), event.consecutiveFailures(), at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "HealthCheckRecorded",
                HealthReasons.checkRecorded(event), principal);
    }

    @EventHandler
    void on(DeploymentActivated event, EventMessage<?> message, @Timestamp Instant at) {
        board.statusChanged(event.deploymentId(), DeploymentStatus.InProgress, at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentActivated", null, ActorMetaData.SYSTEM);
    }

    @EventHandler
    void on(DeploymentPaused event, EventMessage<?> message, @Timestamp Instant at) {
        board.statusChanged(event.deploymentId(), DeploymentStatus.Paused, at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentPaused", null, event.requestedBy());
    }

    @EventHandler
    void on(DeploymentResumed event, EventMessage<?> message, @Timestamp Instant at) {
        board.statusChanged(event.deploymentId(), DeploymentStatus.InProgress, at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentResumed", null, event.requestedBy());
    }

    @EventHandler
    void on(DeploymentPromoted event, EventMessage<?> message, @Timestamp Instant at) {
        board.stageAdvanced(event.deploymentId(), event.stage() + 1, event.percentage(), event.desiredInstances(), at);
        board.statusChanged(event.deploymentId(), DeploymentStatus.InProgress, at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentPromoted",
                "straight to " + event.percentage() + "% (" + event.desiredInstances() + " instances)", event.requestedBy());
    }

    @EventHandler
    void on(DeploymentCompleted event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        board.statusChanged(event.deploymentId(), DeploymentStatus.Completed, at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentCompleted", null, principal);
    }

    @EventHandler
    void on(DeploymentRollbackStarted event, EventMessage<?> message, @Timestamp Instant at) {
        board.rollbackStarted(event.deploymentId(), event.reason(), event.requestedBy(), at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentRollbackStarted",
                (event.automatic() ? "automatic: " : "") + event.reason(), event.requestedBy());
    }

    @EventHandler
    void on(DeploymentAborted event, EventMessage<?> message, @Timestamp Instant at) {
        board.rollbackStarted(event.deploymentId(), event.reason(), event.requestedBy(), at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentAborted", event.reason(),
                event.requestedBy());
    }

    @EventHandler
    void on(DeploymentRolledBack event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        board.ended(event.deploymentId(), DeploymentStatus.RolledBack, at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentRolledBack",
                event.restoredVersion() == null ? "no previous version: nothing left running"
                        : "restored " + event.restoredVersion(), principal);
    }

    @EventHandler
    void on(DeploymentFailed event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        board.ended(event.deploymentId(), DeploymentStatus.Failed, at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentFailed", event.reason(), principal);
    }

    @EventHandler
    void on(DeploymentHealthChanged event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        board.supervisedHealthChanged(event.deploymentId(), event.instances(), at);
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentHealthChanged", event.reason(),
                principal);
    }

    @EventHandler
    void on(DeploymentSupervisionStarted event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        board.addHistory(message.getIdentifier(), event.deploymentId(), at, "DeploymentSupervisionStarted",
                "completed by an earlier build; its " + event.totalInstances() + " instances are supervised from now on",
                principal);
    }

    /** A newer deployment of the same plugin and environment became the stable one. */
    @EventHandler
    void on(TenantQuotaSettled event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        if (event.replacedDeploymentId() == null) return;
        board.superseded(event.replacedDeploymentId(), event.deploymentId(), at);
        board.addHistory(message.getIdentifier(), event.replacedDeploymentId(), at, "DeploymentSuperseded",
                "deployment " + event.deploymentId() + " (" + event.pluginVersion() + ") is the stable version now",
                principal);
    }

    /** The deployment that had superseded this one was rolled back. */
    @EventHandler
    void on(TenantQuotaReleased event, EventMessage<?> message, @Timestamp Instant at,
            @MetaDataValue(ActorMetaData.PRINCIPAL) String principal) {
        if (event.reinstatedDeploymentId() == null) return;
        board.reinstated(event.reinstatedDeploymentId(), at);
        board.addHistory(message.getIdentifier(), event.reinstatedDeploymentId(), at, "DeploymentReinstated",
                "deployment " + event.deploymentId() + " was rolled back; this is the stable version again", principal);
    }

    @ResetHandler
    void reset() {
        board.deleteAll();
    }
}
