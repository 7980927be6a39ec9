package io.hotswap.sagas.deployment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.hotswap.api.audit.ActorMetaData;
import io.hotswap.api.deployment.AdvanceDeploymentStageCommand;
import io.hotswap.api.deployment.DeploymentAborted;
import io.hotswap.api.deployment.DeploymentActivated;
import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentPaused;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentPromoted;
import io.hotswap.api.deployment.DeploymentResumed;
import io.hotswap.api.deployment.DeploymentRollbackStarted;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.deployment.DeploymentStageAdvanced;
import io.hotswap.api.deployment.DeploymentStarted;
import io.hotswap.api.deployment.DeploymentSupervisionStarted;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.HealthReasons;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.api.deployment.RecordDeploymentHealthChangeCommand;
import io.hotswap.api.deployment.RecordHealthCheckCommand;
import io.hotswap.api.deployment.RollbackDeploymentCommand;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaReserved;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one deployment's plan. Each stage: bring the stage's instances of the new version up (and the old version
 * down by as many, but for BlueGreen), wait until every instance answers healthy and the stage's wait is over, then
 * move on. Health is checked every {@code healthCheckInterval}; {@code failureThreshold} failed checks in a row, or a
 * stage not healthy within {@code progressDeadline}, roll the deployment back. A rollback (or abort) takes the new
 * instances down and restores the previous version at the count it ran with, and is confirmed only once the runtime
 * shows exactly that.
 *
 * <p>A completed deployment is its plugin's desired state, and the saga goes on supervising it: at every health check
 * it brings the count back, replaces instances that stopped answering for {@code failureThreshold} checks, keeps the
 * latest check in the {@link HealthLog}, and records only what changed (overall health, restarts) as events. A newer
 * deployment of the same plugin and environment takes the instances over from its reservation on; if it ends without
 * becoming stable, supervision resumes; once it is stable, this saga sleeps, in case a rollback reinstates it.
 *
 * <p>This class holds the saga's state and its handlers; each concern decides in a class of its own, built from that
 * state when needed: {@link StageStepping} (what a stage runs, when it has passed, what follows), {@link HealthWatch}
 * (the checks during the stages and the supervision after) and {@link RollbackConfirmation}. The state stays in these
 * fields, under these names, because running sagas are stored as their JSON and read back by the next build.
 *
 * <p>All waiting is on persistent deadlines, so a restarted server carries on where it stopped, and all time is the
 * event's or the deadline's. Deadlines are never cancelled (cancelling one that is executing fails in db-scheduler
 * 16.7.1, with Axon 4.13.0's DbSchedulerDeadlineManager; DeadlineCancellationTest fails the day it no longer does): a
 * stage's deadlines carry the stage number and do nothing once the deployment has moved on, the health checks stop
 * rescheduling themselves when it leaves, and whatever is left pending finds no saga once it ended. Payloads are Strings (they are stored Java-serialized, so no
 * class of ours goes in there) and come first in each deadline handler, where Axon expects the payload. Every runtime call
 * is idempotent and each health check first reconciles the instance counts, which also repairs what a crash left.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class DeploymentSaga {

    static final String ASSOCIATION = "deploymentId";
    static final String HEALTH_CHECK = "health-check";
    static final String STAGE_WAIT = "stage-wait";
    static final String PROGRESS_DEADLINE = "progress-deadline";
    static final String ROLLBACK_CHECK = "rollback-check";
    static final Duration ROLLBACK_CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(DeploymentSaga.class);

    private String deploymentId;
    private String tenantId;
    private String pluginId;
    private String version;
    private String environment;
    private String previousVersion;
    private Integer previousInstances; // null: a first install, or recorded before the count was
    private int totalInstances;
    private DeploymentPlan plan;
    private int stage = -1;
    private boolean paused;
    private boolean stageHealthy;   // every instance of the current stage answered healthy
    private boolean stageWaitOver;  // the current stage's wait has passed
    private boolean leaving;        // rolling back or aborting
    private String restoreVersion;  // what keeps running once the rollback is done; null for a first install
    private int restoreInstances;
    private Instant leavingAt;      // when the rollback or abort began (sagas of older builds: when first seen)
    private long healthCheckRound;  // the one pending health check carries this number; any other is a stray
    private boolean completed;      // supervising the deployed version as the plugin's desired state
    private boolean handedOver;     // a newer deployment of the same plugin and environment is in charge
    private OverallHealth supervisedHealth = OverallHealth.Healthy; // as last recorded; it completed healthy
    private Map<String, Integer> restartsSeen = new HashMap<>();
    private Map<String, Integer> checksNotAnswered = new HashMap<>();

    // --- the rollout: stages ---

    @StartSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentStarted event) {
        identify(event.deploymentId(), event.tenantId(), event.pluginId(), event.pluginVersion(), event.environment(),
                event.totalInstances());
        previousVersion = event.previousVersion();
        previousInstances = event.previousInstances();
        plan = event.plan();
    }

    /** What every saga knows of its deployment, from whichever event started it. */
    private void identify(String deploymentId, String tenantId, String pluginId, String version, String environment,
                          int totalInstances) {
        this.deploymentId = deploymentId;
        this.tenantId = tenantId;
        this.pluginId = pluginId;
        this.version = version;
        this.environment = environment;
        this.totalInstances = totalInstances;
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentActivated event, CommandGateway commands, DeadlineManager deadlines) {
        send(commands, new AdvanceDeploymentStageCommand(deploymentId, 0));
        scheduleHealthCheck(deadlines);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentStageAdvanced event, @Timestamp Instant startedAt, DeploymentRuntime runtime,
            DeadlineManager deadlines) {
        enterStage(event.stage(), startedAt, runtime, deadlines);
    }

    /** A promote also ends a pause: the deployment is InProgress again. */
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentPromoted event, @Timestamp Instant startedAt, DeploymentRuntime runtime, DeadlineManager deadlines) {
        paused = false;
        enterStage(event.stage(), startedAt, runtime, deadlines);
    }

    /** The stage's clocks start when the stage did (the event's time), however late this handler runs. */
    private void enterStage(int newStage, Instant startedAt, DeploymentRuntime runtime, DeadlineManager deadlines) {
        stage = newStage;
        stageHealthy = false;
        stageWaitOver = false;
        deadlines.schedule(startedAt.plusSeconds(plan.steps().get(stage).waitSeconds()), STAGE_WAIT,
                Integer.toString(stage));
        deadlines.schedule(startedAt.plusSeconds(plan.progressDeadlineSeconds()), PROGRESS_DEADLINE,
                Integer.toString(stage));
        stages().reconcile(runtime, stage);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(HealthCheckRecorded event, CommandGateway commands) {
        if (leaving) return;
        if (healthWatch().failedTooOften(event)) {
            rollBack(commands, HealthReasons.failedChecks(stage, event));
            return;
        }
        // the latest check decides: a stage that turned unhealthy again does not move on; becoming healthy may
        boolean wasHealthy = stageHealthy;
        stageHealthy = stages().passes(stage, event);
        if (stageHealthy && !wasHealthy) advanceIfDue(commands);
    }

    @DeadlineHandler(deadlineName = STAGE_WAIT)
    void stageWaitOver(String forStage, @Timestamp Instant due, CommandGateway commands, MeterRegistry metrics) {
        recordLateness(metrics, STAGE_WAIT, due);
        if (Integer.parseInt(forStage) != stage) return; // a promote moved on before this stage's wait was over
        stageWaitOver = true;
        advanceIfDue(commands);
    }

    @DeadlineHandler(deadlineName = PROGRESS_DEADLINE)
    void progressDeadlinePassed(String forStage, CommandGateway commands, DeploymentRuntime runtime) {
        // a paused stage is held on purpose; resuming gives it a new deadline
        if (Integer.parseInt(forStage) != stage || stageHealthy || leaving || paused || completed) return;
        rollBack(commands, HealthReasons.notHealthyInTime(stage, plan.progressDeadlineSeconds(),
                healthWatch().check(runtime)));
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentPaused event) {
        paused = true;
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentResumed event, CommandGateway commands, DeadlineManager deadlines) {
        paused = false;
        if (!stageHealthy) {
            deadlines.schedule(Duration.ofSeconds(plan.progressDeadlineSeconds()), PROGRESS_DEADLINE, Integer.toString(stage));
        }
        advanceIfDue(commands);
    }

    private void advanceIfDue(CommandGateway commands) {
        if (!stageHealthy || !stageWaitOver || paused || leaving || completed) return;
        send(commands, stages().next(stage));
    }

    private void rollBack(CommandGateway commands, String reason) {
        send(commands, new RollbackDeploymentCommand(deploymentId, reason, ActorMetaData.SYSTEM, true, false));
    }

    // --- the health watch: checks during the stages, supervision once completed ---

    @DeadlineHandler(deadlineName = HEALTH_CHECK)
    void checkHealth(String round, @Timestamp Instant due, CommandGateway commands, DeploymentRuntime runtime,
                     DeadlineManager deadlines, MeterRegistry metrics, HealthLog healthLog) {
        recordLateness(metrics, HEALTH_CHECK, due);
        // a check that ran twice (its server died before db-scheduler recorded it) must not start a second chain
        if (leaving || handedOver || Long.parseLong(round) != healthCheckRound) return;
        if (completed) {
            supervise(commands, runtime, metrics, healthLog);
        } else if (stage >= 0) {
            stages().reconcile(runtime, stage);
            send(commands, new RecordHealthCheckCommand(deploymentId, healthWatch().check(runtime)));
        }
        scheduleHealthCheck(deadlines);
    }

    /**
     * One check of a completed deployment: the count brought back, instances that stopped answering replaced, and
     * an event only when the overall health turned or the runtime restarted an instance.
     */
    private void supervise(CommandGateway commands, DeploymentRuntime runtime, MeterRegistry metrics, HealthLog healthLog) {
        HealthWatch watch = healthWatch();
        watch.reconcileCount(runtime);
        List<InstanceHealth> instances = watch.check(runtime);
        healthLog.record(deploymentId, instances, GenericEventMessage.clock.instant());
        checksNotAnswered = watch.replaceUnanswering(runtime, instances, checksNotAnswered);
        List<InstanceHealth> restarted = HealthWatch.restartedSince(restartsSeen, instances);
        restartsSeen = HealthWatch.restarts(instances);
        OverallHealth health = OverallHealth.of(instances, totalInstances);
        if (health == supervisedHealth && restarted.isEmpty()) return;
        watch.count(metrics, supervisedHealth, health, restarted);
        String reason = HealthReasons.healthChanged(supervisedHealth, health, instances, restarted);
        supervisedHealth = health;
        send(commands, new RecordDeploymentHealthChangeCommand(deploymentId, health, instances, reason));
    }

    private void scheduleHealthCheck(DeadlineManager deadlines) {
        healthCheckRound++;
        deadlines.schedule(Duration.ofSeconds(plan.healthCheckIntervalSeconds()), HEALTH_CHECK,
                Long.toString(healthCheckRound));
    }

    /** The deployed version is now the plugin's desired state: the health checks go on as its supervision. */
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentCompleted event, DeploymentRuntime runtime) {
        completed = true;
        healthWatch().reconcileCount(runtime);
        stages().retirePrevious(runtime);
    }

    /** A deployment an earlier build completed, and so left unsupervised, is supervised from now on. */
    @StartSaga(forceNew = false)
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentSupervisionStarted event, DeploymentRuntime runtime, DeadlineManager deadlines) {
        identify(event.deploymentId(), event.tenantId(), event.pluginId(), event.pluginVersion(), event.environment(),
                event.totalInstances());
        plan = event.plan();
        stage = plan.steps().size() - 1;
        completed = true;
        handedOver = false;
        healthWatch().reconcileCount(runtime);
        scheduleHealthCheck(deadlines);
    }

    /** A newer deployment of the same plugin and environment reserved its quota: it takes the instances over. */
    @SagaEventHandler(associationProperty = "replacesDeploymentId", keyName = ASSOCIATION)
    void on(TenantQuotaReserved event) {
        handedOver = true;
    }

    /** The newer deployment ended without becoming stable (or was rolled back): this one is in charge again. */
    @SagaEventHandler(associationProperty = "stableDeploymentId", keyName = ASSOCIATION)
    void on(TenantQuotaReleased event, DeploymentRuntime runtime, DeadlineManager deadlines) {
        if (!completed || !handedOver) return;
        handedOver = false;
        restartsSeen = new HashMap<>();
        checksNotAnswered = new HashMap<>();
        healthWatch().reconcileCount(runtime);
        scheduleHealthCheck(deadlines);
    }

    /** The newer deployment is stable now; this one sleeps, and wakes if a rollback of that one reinstates it. */
    @SagaEventHandler(associationProperty = "replacedDeploymentId", keyName = ASSOCIATION)
    void on(TenantQuotaSettled event) {
        handedOver = true;
    }

    // --- leaving: rollback and abort, until the runtime confirms ---

    /**
     * Also starts a saga: the saga of a deployment completed by a build that ended sagas at completion is gone when
     * the deployment is rolled back.
     */
    @StartSaga(forceNew = false)
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentRollbackStarted event, @Timestamp Instant at, DeploymentRuntime runtime, DeadlineManager deadlines,
            CommandGateway commands) {
        identify(event.deploymentId(), event.tenantId(), event.pluginId(), event.pluginVersion(), event.environment(),
                event.totalInstances());
        if (event.targetInstances() != null) previousInstances = event.targetInstances();
        leave(event.targetVersion(), at, runtime, deadlines, commands);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentAborted event, @Timestamp Instant at, DeploymentRuntime runtime, DeadlineManager deadlines,
            CommandGateway commands) {
        leave(event.targetVersion(), at, runtime, deadlines, commands);
    }

    private void leave(String restore, Instant at, DeploymentRuntime runtime, DeadlineManager deadlines,
                       CommandGateway commands) {
        leaving = true;
        completed = false;
        restoreVersion = restore;
        restoreInstances = previousCount();
        leavingAt = at;
        confirmOrRetry(at, runtime, deadlines, commands);
    }

    @DeadlineHandler(deadlineName = ROLLBACK_CHECK)
    void checkRollback(String forDeployment, @Timestamp Instant due, DeploymentRuntime runtime, DeadlineManager deadlines,
                       CommandGateway commands) {
        confirmOrRetry(due, runtime, deadlines, commands);
    }

    private void confirmOrRetry(Instant now, DeploymentRuntime runtime, DeadlineManager deadlines, CommandGateway commands) {
        if (leavingAt == null) leavingAt = now;
        if (restoreInstances == 0 && restoreVersion != null) restoreInstances = totalInstances; // an older build's saga
        new RollbackConfirmation(deploymentId, target(), version, restoreVersion, restoreInstances, leavingAt)
                .reconcile(runtime, now)
                .ifPresentOrElse(command -> send(commands, command),
                        () -> deadlines.schedule(ROLLBACK_CHECK_INTERVAL, ROLLBACK_CHECK, deploymentId));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentRolledBack event) {
        // the deadlines still pending find no saga when they fire, and do nothing
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentFailed event) {
        // as for DeploymentRolledBack
    }

    // --- shared ---

    private StageStepping stages() {
        return new StageStepping(deploymentId, target(), plan, version, previousVersion, previousCount());
    }

    private HealthWatch healthWatch() {
        return new HealthWatch(deploymentId, target(), version, totalInstances, plan.failureThreshold());
    }

    /** How many instances of the previous version ran before; the full set where no count was recorded. */
    private int previousCount() {
        return previousInstances == null ? totalInstances : previousInstances;
    }

    private DeploymentTarget target() {
        return new DeploymentTarget(tenantId, pluginId, environment);
    }

    /**
     * Sends a command and waits for it. A conflict means the deployment moved on meanwhile (a manual rollback
     * overtook a stage, say): that decision stands, and this one is dropped.
     */
    private void send(CommandGateway commands, Object command) {
        try {
            commands.sendAndWait(command);
        } catch (ConflictException e) {
            log.info("Deployment {}: {} not applied: {}", deploymentId, command.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** How late a deadline fired: {@code plugin_deployments_deadline_lateness_seconds{deadline}}. */
    private static void recordLateness(MeterRegistry metrics, String deadline, Instant due) {
        Timer.builder("plugin.deployments.deadline.lateness").tag("deadline", deadline)
                .publishPercentiles(0.5, 0.99).register(metrics)
                .record(Duration.between(due, GenericEventMessage.clock.instant()).abs());
    }
}
