package io.hotswap.sagas.deployment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.hotswap.api.deployment.AdvanceDeploymentStageCommand;
import io.hotswap.api.deployment.CompleteDeploymentCommand;
import io.hotswap.api.deployment.ConfirmDeploymentRollbackCommand;
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
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentSupervisionStarted;
import io.hotswap.api.deployment.FailDeploymentCommand;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.HealthReasons;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.api.deployment.RecordDeploymentHealthChangeCommand;
import io.hotswap.api.deployment.RecordHealthCheckCommand;
import io.hotswap.api.deployment.RollbackDeploymentCommand;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.security.ActorMetaData;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaReserved;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
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
 * <p>All waiting is on persistent deadlines, so a restarted server carries on where it stopped. Deadlines are never
 * cancelled (cancelling one that is executing fails in db-scheduler 16.7.1, with Axon 4.13.0's DbSchedulerDeadlineManager): a stage's deadlines carry the stage number and
 * do nothing once the deployment has moved on, the health checks stop rescheduling themselves when it leaves, and
 * whatever is left pending finds no saga once it ended. Payloads are Strings (they are stored Java-serialized, so no
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
    /** How long a rollback may take to be confirmed before the deployment is declared Failed. */
    static final Duration ROLLBACK_TIMEOUT = Duration.ofMinutes(10);

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
    void on(DeploymentStageAdvanced event, @Timestamp Instant startedAt, PluginRuntime runtime,
            DeadlineManager deadlines) {
        enterStage(event.stage(), startedAt, runtime, deadlines);
    }

    /** A promote also ends a pause: the deployment is InProgress again. */
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentPromoted event, @Timestamp Instant startedAt, PluginRuntime runtime, DeadlineManager deadlines) {
        paused = false;
        enterStage(event.stage(), startedAt, runtime, deadlines);
    }

    /** The stage's clocks start when the stage did (the event's time), however late this handler runs. */
    private void enterStage(int newStage, Instant startedAt, PluginRuntime runtime, DeadlineManager deadlines) {
        stage = newStage;
        stageHealthy = false;
        stageWaitOver = false;
        deadlines.schedule(startedAt.plusSeconds(step().waitSeconds()), STAGE_WAIT, Integer.toString(stage));
        deadlines.schedule(startedAt.plusSeconds(plan.progressDeadlineSeconds()), PROGRESS_DEADLINE, Integer.toString(stage));
        reconcile(runtime);
    }

    @DeadlineHandler(deadlineName = HEALTH_CHECK)
    void checkHealth(String round, @Timestamp Instant due, CommandGateway commands, PluginRuntime runtime,
                     DeadlineManager deadlines, MeterRegistry metrics, HealthLog healthLog) {
        recordLateness(metrics, HEALTH_CHECK, due);
        // a check that ran twice (its server died before db-scheduler recorded it) must not start a second chain
        if (leaving || handedOver || Long.parseLong(round) != healthCheckRound) return;
        if (completed) {
            supervise(commands, runtime, metrics, healthLog);
        } else if (stage >= 0) {
            reconcile(runtime);
            send(commands, new RecordHealthCheckCommand(deploymentId, runtime.check(target(), version)));
        }
        scheduleHealthCheck(deadlines);
    }

    /**
     * One check of a completed deployment: the count brought back, instances that stopped answering replaced, and
     * an event only when the overall health turned or the runtime restarted an instance.
     */
    private void supervise(CommandGateway commands, PluginRuntime runtime, MeterRegistry metrics, HealthLog healthLog) {
        runtime.scale(target(), version, totalInstances);
        List<InstanceHealth> instances = runtime.check(target(), version);
        healthLog.record(deploymentId, instances, GenericEventMessage.clock.instant());
        replaceUnanswering(instances, runtime);
        List<InstanceHealth> restarted = instances.stream()
                .filter(i -> i.restarts() > restartsSeen.getOrDefault(i.instanceId(), 0))
                .toList();
        restartsSeen = new HashMap<>();
        instances.forEach(i -> restartsSeen.put(i.instanceId(), i.restarts()));
        OverallHealth health = OverallHealth.of(instances, totalInstances);
        if (health == supervisedHealth && restarted.isEmpty()) return;
        String reason = HealthReasons.healthChanged(supervisedHealth, health, instances, restarted);
        if (health == OverallHealth.CrashLooping && supervisedHealth != OverallHealth.CrashLooping) {
            metrics.counter("plugin.instance.crash.loops", "tenant", tenantId, "plugin", pluginId).increment();
        }
        if (!restarted.isEmpty()) {
            metrics.counter("plugin.instance.restarts", "tenant", tenantId, "plugin", pluginId).increment(restarted.size());
        }
        supervisedHealth = health;
        send(commands, new RecordDeploymentHealthChangeCommand(deploymentId, health, instances, reason));
    }

    /** An instance that answered before and has not for {@code failureThreshold} checks in a row is started anew. */
    private void replaceUnanswering(List<InstanceHealth> instances, PluginRuntime runtime) {
        Map<String, Integer> counts = new HashMap<>();
        for (InstanceHealth instance : instances) {
            if (instance.state() != InstanceState.NotAnswering) continue;
            int checks = checksNotAnswered.getOrDefault(instance.instanceId(), 0) + 1;
            if (checks >= plan.failureThreshold()) {
                log.warn("Deployment {}: replacing {}, which has not answered {} health checks in a row",
                        deploymentId, instance.instanceId(), checks);
                runtime.replace(target(), instance.instanceId());
            } else {
                counts.put(instance.instanceId(), checks);
            }
        }
        checksNotAnswered = counts;
    }

    private void scheduleHealthCheck(DeadlineManager deadlines) {
        healthCheckRound++;
        deadlines.schedule(healthInterval(), HEALTH_CHECK, Long.toString(healthCheckRound));
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(HealthCheckRecorded event, CommandGateway commands) {
        if (leaving) return;
        if (event.consecutiveFailures() >= plan.failureThreshold()) {
            rollBack(commands, HealthReasons.failedChecks(stage, event));
            return;
        }
        // the latest check decides: a stage that turned unhealthy again does not move on; becoming healthy may
        boolean wasHealthy = stageHealthy;
        stageHealthy = OverallHealth.ofStage(event.instances(), step().instances()) == OverallHealth.Healthy;
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
    void progressDeadlinePassed(String forStage, CommandGateway commands, PluginRuntime runtime) {
        // a paused stage is held on purpose; resuming gives it a new deadline
        if (Integer.parseInt(forStage) != stage || stageHealthy || leaving || paused || completed) return;
        rollBack(commands, HealthReasons.notHealthyInTime(stage, plan.progressDeadlineSeconds(),
                runtime.check(target(), version)));
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

    /**
     * Also starts a saga: the saga of a deployment completed by a build that ended sagas at completion is gone when
     * the deployment is rolled back.
     */
    @StartSaga(forceNew = false)
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentRollbackStarted event, @Timestamp Instant at, PluginRuntime runtime, DeadlineManager deadlines,
            CommandGateway commands) {
        identify(event.deploymentId(), event.tenantId(), event.pluginId(), event.pluginVersion(), event.environment(),
                event.totalInstances());
        if (event.targetInstances() != null) previousInstances = event.targetInstances();
        leave(event.targetVersion(), at, runtime, deadlines, commands);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentAborted event, @Timestamp Instant at, PluginRuntime runtime, DeadlineManager deadlines,
            CommandGateway commands) {
        leave(event.targetVersion(), at, runtime, deadlines, commands);
    }

    private void leave(String restore, Instant at, PluginRuntime runtime, DeadlineManager deadlines,
                       CommandGateway commands) {
        leaving = true;
        completed = false;
        restoreVersion = restore;
        restoreInstances = previousInstances == null ? totalInstances : previousInstances;
        leavingAt = at;
        confirmOrRetry(at, runtime, deadlines, commands);
    }

    @DeadlineHandler(deadlineName = ROLLBACK_CHECK)
    void checkRollback(String forDeployment, @Timestamp Instant due, PluginRuntime runtime, DeadlineManager deadlines,
                       CommandGateway commands) {
        confirmOrRetry(due, runtime, deadlines, commands);
    }

    /** Takes the new version down and the restored one up, then confirms once the runtime shows exactly that. */
    private void confirmOrRetry(Instant now, PluginRuntime runtime, DeadlineManager deadlines, CommandGateway commands) {
        if (leavingAt == null) leavingAt = now;
        if (restoreInstances == 0 && restoreVersion != null) restoreInstances = totalInstances; // an older build's saga
        runtime.scale(target(), version, 0);
        if (restoreVersion != null) runtime.scale(target(), restoreVersion, restoreInstances);
        var running = runtime.running(target());
        boolean done = running.getOrDefault(version, 0) == 0
                && (restoreVersion == null || running.getOrDefault(restoreVersion, 0) >= restoreInstances);
        if (done) {
            send(commands, new ConfirmDeploymentRollbackCommand(deploymentId));
        } else if (now.isAfter(leavingAt.plus(ROLLBACK_TIMEOUT))) {
            send(commands, new FailDeploymentCommand(deploymentId, "the runtime did not confirm the rollback within "
                    + ROLLBACK_TIMEOUT.toMinutes() + " minutes; running now: " + running));
        } else {
            deadlines.schedule(ROLLBACK_CHECK_INTERVAL, ROLLBACK_CHECK, deploymentId);
        }
    }

    /** The deployed version is now the plugin's desired state: the health checks go on as its supervision. */
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentCompleted event, PluginRuntime runtime) {
        completed = true;
        runtime.scale(target(), version, totalInstances);
        if (previousVersion != null && !previousVersion.equals(version)) runtime.scale(target(), previousVersion, 0);
    }

    /** A deployment an earlier build completed, and so left unsupervised, is supervised from now on. */
    @StartSaga(forceNew = false)
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(DeploymentSupervisionStarted event, PluginRuntime runtime, DeadlineManager deadlines) {
        identify(event.deploymentId(), event.tenantId(), event.pluginId(), event.pluginVersion(), event.environment(),
                event.totalInstances());
        plan = event.plan();
        stage = plan.steps().size() - 1;
        completed = true;
        handedOver = false;
        runtime.scale(target(), version, totalInstances);
        scheduleHealthCheck(deadlines);
    }

    /** A newer deployment of the same plugin and environment reserved its quota: it takes the instances over. */
    @SagaEventHandler(associationProperty = "replacesDeploymentId", keyName = ASSOCIATION)
    void on(TenantQuotaReserved event) {
        handedOver = true;
    }

    /** The newer deployment ended without becoming stable (or was rolled back): this one is in charge again. */
    @SagaEventHandler(associationProperty = "stableDeploymentId", keyName = ASSOCIATION)
    void on(TenantQuotaReleased event, PluginRuntime runtime, DeadlineManager deadlines) {
        if (!completed || !handedOver) return;
        handedOver = false;
        restartsSeen = new HashMap<>();
        checksNotAnswered = new HashMap<>();
        runtime.scale(target(), version, totalInstances);
        scheduleHealthCheck(deadlines);
    }

    /** The newer deployment is stable now; this one sleeps, and wakes if a rollback of that one reinstates it. */
    @SagaEventHandler(associationProperty = "replacedDeploymentId", keyName = ASSOCIATION)
    void on(TenantQuotaSettled event) {
        handedOver = true;
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

    private void advanceIfDue(CommandGateway commands) {
        if (!stageHealthy || !stageWaitOver || paused || leaving || completed) return;
        if (stage < plan.steps().size() - 1) {
            send(commands, new AdvanceDeploymentStageCommand(deploymentId, stage + 1));
        } else {
            send(commands, new CompleteDeploymentCommand(deploymentId));
        }
    }

    private void rollBack(CommandGateway commands, String reason) {
        send(commands, new RollbackDeploymentCommand(deploymentId, reason, ActorMetaData.SYSTEM, true, false));
    }

    /** Brings both versions to this stage's counts. */
    private void reconcile(PluginRuntime runtime) {
        runtime.scale(target(), version, step().instances());
        if (previousVersion != null && !previousVersion.equals(version)) {
            int before = previousInstances == null ? totalInstances : previousInstances;
            runtime.scale(target(), previousVersion, plan.previousInstancesAt(Math.max(stage, 0), before));
        }
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

    private DeploymentStep step() {
        return plan.steps().get(Math.max(stage, 0));
    }

    private Duration healthInterval() {
        return Duration.ofSeconds(plan.healthCheckIntervalSeconds());
    }

    private DeploymentTarget target() {
        return new DeploymentTarget(tenantId, pluginId, environment);
    }
}
