package io.hotswap.sagas.deployment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.deployment.DeploymentSupervisionStarted;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.api.deployment.FailDeploymentCommand;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.api.deployment.RecordDeploymentHealthChangeCommand;
import io.hotswap.api.deployment.RecordHealthCheckCommand;
import io.hotswap.api.deployment.RollbackDeploymentCommand;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaReserved;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.api.tenant.TenantUsage;
import io.hotswap.sagas.deployment.FakePluginRuntime.CheckCall;
import io.hotswap.sagas.deployment.FakePluginRuntime.ScaleCall;
import io.hotswap.sagas.runtime.DeploymentTarget;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.test.saga.ContinuedGivenState;
import org.axonframework.test.saga.SagaTestFixture;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.hotswap.sagas.deployment.DeploymentSaga.HEALTH_CHECK;
import static io.hotswap.sagas.deployment.DeploymentSaga.PROGRESS_DEADLINE;
import static io.hotswap.sagas.deployment.DeploymentSaga.ROLLBACK_CHECK;
import static io.hotswap.sagas.deployment.DeploymentSaga.STAGE_WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.listWithAnyOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;

class DeploymentSagaTest {

    private static final String ID = "dep-1";
    private static final String TENANT = "acme";
    private static final String PLUGIN = "invoice-export";
    private static final String ENV = "production";
    private static final String NEW = "2.0.0";
    private static final String OLD = "1.0.0";
    private static final DeploymentTarget TARGET = new DeploymentTarget(TENANT, PLUGIN, ENV);

    private static final int TOTAL = 10;
    private static final int STAGE_WAIT_SECONDS = 60;
    private static final int PROGRESS_SECONDS = 120;
    private static final int THRESHOLD = 3;
    /** Far beyond every other wait, so that health-check deadlines stay out of tests about something else. */
    private static final int QUIET_HEALTH_INTERVAL = 3600;
    private static final int HEALTH_INTERVAL = 10;

    /** Canary 10,30,50,100 of 10 instances: 1, 3, 5, 10 of the new version. */
    private static final DeploymentPlan CANARY = canary(QUIET_HEALTH_INTERVAL);

    private SagaTestFixture<DeploymentSaga> fixture;
    private FakePluginRuntime runtime;
    /** Every supervision check the saga left in the health log. */
    private final List<List<InstanceHealth>> loggedChecks = new ArrayList<>();
    private final HealthLog healthLog = (deploymentId, instances, checkedAt) -> loggedChecks.add(instances);

    @BeforeEach
    void setUp() {
        runtime = new FakePluginRuntime();
        runtime.alreadyRunning(TARGET, OLD, TOTAL);
        fixture = new SagaTestFixture<>(DeploymentSaga.class);
        fixture.registerResource(FakePluginVersions.over(runtime));
        fixture.registerResource(new SimpleMeterRegistry());
        fixture.registerResource(healthLog);
        // runtime calls asserted on are the when phase's only
        fixture.registerStartRecordingCallback(runtime::forgetCalls);
    }

    @Nested
    class Starting {

        @Test
        void deploymentStartedStartsTheSagaAndDispatchesNothing() throws Exception {
            fixture.givenNoPriorActivity()
                    .whenPublishingA(started(CANARY, TOTAL, OLD))
                    .expectActiveSagas(1)
                    .expectAssociationWith(DeploymentSaga.ASSOCIATION, ID)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines();
            assertThat(runtime.scaleCalls()).isEmpty();
        }

        @Test
        void activationAdvancesToTheFirstStageAndSchedulesTheFirstHealthCheck() throws Exception {
            fixture.givenAPublished(started(canary(HEALTH_INTERVAL), TOTAL, OLD))
                    .whenPublishingA(activated())
                    .expectActiveSagas(1)
                    .expectDispatchedCommands(new AdvanceDeploymentStageCommand(ID, 0))
                    .expectScheduledDeadlineWithName(Duration.ofSeconds(HEALTH_INTERVAL), HEALTH_CHECK)
                    .expectScheduledDeadlineMatching(Duration.ofSeconds(HEALTH_INTERVAL), deadline(HEALTH_CHECK));
            assertThat(runtime.scaleCalls()).as("nothing runs before the first stage is entered").isEmpty();
        }

        @Test
        void enteringAStageSchedulesItsWaitAndItsProgressDeadline() throws Exception {
            fixture.givenAPublished(started(CANARY, TOTAL, OLD))
                    .andThenAPublished(activated())
                    .whenPublishingA(advanced(CANARY, 0))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ofSeconds(STAGE_WAIT_SECONDS)),
                            stageDeadline(STAGE_WAIT, 0))
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ofSeconds(PROGRESS_SECONDS)),
                            stageDeadline(PROGRESS_DEADLINE, 0))
                    .expectScheduledDeadlineMatching(Duration.ofSeconds(QUIET_HEALTH_INTERVAL), deadline(HEALTH_CHECK));
        }
    }

    @Nested
    class Strategies {

        @ParameterizedTest(name = "stage {0}: {1} new, {2} old")
        @CsvSource({"0, 1, 9", "1, 3, 7", "2, 5, 5", "3, 10, 0"})
        void canaryMovesTheStagesShareFromTheOldVersionToTheNewOne(int stage, int newInstances, int oldInstances) throws Exception {
            atStage(CANARY, TOTAL, OLD, stage - 1)
                    .whenPublishingA(advanced(CANARY, stage))
                    .expectActiveSagas(1);
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, newInstances), new ScaleCall(TARGET, OLD, oldInstances));
            assertThat(runtime.running(TARGET)).isEqualTo(running(newInstances, oldInstances));
        }

        @Test
        void canaryCompletionRunsOnlyTheNewVersionAndKeepsSupervisingIt() throws Exception {
            atStage(CANARY, TOTAL, OLD, 3)
                    .whenPublishingA(completed())
                    .expectActiveSagas(1)
                    .expectNoDispatchedCommands();
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, TOTAL), new ScaleCall(TARGET, OLD, 0));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(NEW, TOTAL));
        }

        @ParameterizedTest(name = "batch {0}: {1} new, {2} old")
        @CsvSource({"0, 2, 6", "1, 4, 4", "2, 6, 2", "3, 8, 0"})
        void rollingReplacesOneBatchPerStage(int stage, int newInstances, int oldInstances) throws Exception {
            DeploymentPlan rolling = plan(DeploymentStrategy.Rolling,
                    new DeploymentStep(25, 2, 30), new DeploymentStep(50, 4, 30),
                    new DeploymentStep(75, 6, 30), new DeploymentStep(100, 8, 0));
            runtime.alreadyRunning(TARGET, OLD, 8);
            atStage(rolling, 8, OLD, stage - 1)
                    .whenPublishingA(advanced(rolling, stage));
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, newInstances), new ScaleCall(TARGET, OLD, oldInstances));
            assertThat(runtime.running(TARGET)).isEqualTo(running(newInstances, oldInstances));
        }

        @Test
        void rollingCompletionRetiresTheOldVersion() throws Exception {
            DeploymentPlan rolling = plan(DeploymentStrategy.Rolling,
                    new DeploymentStep(50, 4, 30), new DeploymentStep(100, 8, 0));
            runtime.alreadyRunning(TARGET, OLD, 8);
            atStage(rolling, 8, OLD, 1)
                    .whenPublishingA(completed())
                    .expectActiveSagas(1);
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 8), new ScaleCall(TARGET, OLD, 0));
        }

        @Test
        void blueGreenStartsTheFullNewSetWhileTheOldSetKeepsServing() throws Exception {
            DeploymentPlan blueGreen = plan(DeploymentStrategy.BlueGreen, new DeploymentStep(100, 4, 30));
            runtime.alreadyRunning(TARGET, OLD, 4);
            atStage(blueGreen, 4, OLD, -1)
                    .whenPublishingA(advanced(blueGreen, 0))
                    .expectActiveSagas(1);
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 4), new ScaleCall(TARGET, OLD, 4));
            assertThat(runtime.running(TARGET)).isEqualTo(running(4, 4));
        }

        @Test
        void blueGreenHealthChecksKeepTheOldSetAtFullSize() throws Exception {
            DeploymentPlan blueGreen = plan(DeploymentStrategy.BlueGreen, HEALTH_INTERVAL, new DeploymentStep(100, 4, 30));
            runtime.alreadyRunning(TARGET, OLD, 4);
            atStage(blueGreen, 4, OLD, 0)
                    .whenTimeElapses(Duration.ofSeconds(HEALTH_INTERVAL));
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 4), new ScaleCall(TARGET, OLD, 4));
        }

        @Test
        void blueGreenSwitchesOverAndRetiresTheOldSetOnlyAtCompletion() throws Exception {
            DeploymentPlan blueGreen = plan(DeploymentStrategy.BlueGreen, new DeploymentStep(100, 4, 30));
            runtime.alreadyRunning(TARGET, OLD, 4);
            atStage(blueGreen, 4, OLD, 0)
                    .whenPublishingA(completed())
                    .expectActiveSagas(1);
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 4), new ScaleCall(TARGET, OLD, 0));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(NEW, 4));
        }

        @Test
        void directReplacesTheOldVersionAtOnce() throws Exception {
            DeploymentPlan direct = plan(DeploymentStrategy.Direct, new DeploymentStep(100, 4, 0));
            runtime.alreadyRunning(TARGET, OLD, 4);
            atStage(direct, 4, OLD, -1)
                    .whenPublishingA(advanced(direct, 0));
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 4), new ScaleCall(TARGET, OLD, 0));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(NEW, 4));
        }

        @Test
        void directCompletionLeavesTheOldVersionGone() throws Exception {
            DeploymentPlan direct = plan(DeploymentStrategy.Direct, new DeploymentStep(100, 4, 0));
            runtime.alreadyRunning(TARGET, OLD, 4);
            atStage(direct, 4, OLD, 0)
                    .whenPublishingA(completed())
                    .expectActiveSagas(1);
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 4), new ScaleCall(TARGET, OLD, 0));
        }

        @Test
        void aFirstInstallScalesOnlyTheNewVersion() throws Exception {
            runtime = freshRuntimeWithNothingRunning();
            atStage(CANARY, TOTAL, null, 0)
                    .whenPublishingA(advanced(CANARY, 1));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, 3));
        }

        @Test
        void aFirstInstallCompletesAtFullSize() throws Exception {
            runtime = freshRuntimeWithNothingRunning();
            atStage(CANARY, TOTAL, null, 3)
                    .whenPublishingA(completed())
                    .expectActiveSagas(1);
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, TOTAL));
        }
    }

    @Nested
    class StageProgression {

        @Test
        void advancesOnceTheStageWaitIsOverAfterTheStageWasHealthy() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectTriggeredDeadlinesWithName(STAGE_WAIT)
                    .expectDispatchedCommands(new AdvanceDeploymentStageCommand(ID, 1));
        }

        @Test
        void advancesOnceTheStageIsHealthyAfterItsWaitWasOver() throws Exception {
            atStage(CANARY, TOTAL, OLD, 1)
                    .andThenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .whenPublishingA(healthy(3))
                    .expectDispatchedCommands(new AdvanceDeploymentStageCommand(ID, 2));
        }

        @Test
        void aHealthyStageDoesNotAdvanceBeforeItsWaitIsOver() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS - 1))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ofSeconds(1)), stageDeadline(STAGE_WAIT, 0));
        }

        @Test
        void aHealthyCheckAloneDoesNotAdvance() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .whenPublishingA(healthy(1))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ofSeconds(STAGE_WAIT_SECONDS)),
                            stageDeadline(STAGE_WAIT, 0));
        }

        @Test
        void theStageWaitAloneDoesNotAdvance() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectTriggeredDeadlinesWithName(STAGE_WAIT)
                    .expectNoDispatchedCommands();
        }

        @Test
        void aCheckWithInstancesStillStartingIsNotHealthy() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(new HealthCheckRecorded(ID, TENANT,
                            List.of(instance("i-1", InstanceState.Starting, "no answer yet")), false, 0))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectNoDispatchedCommands();
        }

        @Test
        void aHealthyCheckWithFewerInstancesThanTheStageNeedsDoesNotCount() throws Exception {
            atStage(CANARY, TOTAL, OLD, 1) // needs 3
                    .andThenAPublished(healthy(2))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectNoDispatchedCommands();
        }

        @Test
        void healthFromThePreviousStageDoesNotCarryOver() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenAPublished(advanced(CANARY, 1))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectNoDispatchedCommands();
        }

        @Test
        void theNextStageWaitsItsOwnWaitEvenWhenHealthyAtOnce() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .andThenAPublished(advanced(CANARY, 1))
                    .whenPublishingA(healthy(3))
                    .expectNoDispatchedCommands();
        }

        @ParameterizedTest(name = "stage {0} advances to the next")
        @ValueSource(ints = {0, 1, 2})
        void everyStageButTheLastAdvancesToTheNext(int stage) throws Exception {
            atStage(CANARY, TOTAL, OLD, stage)
                    .andThenAPublished(healthy(CANARY.steps().get(stage).instances()))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectDispatchedCommands(new AdvanceDeploymentStageCommand(ID, stage + 1));
        }

        @Test
        void theLastStageCompletesTheDeployment() throws Exception {
            atStage(CANARY, TOTAL, OLD, 3) // its wait is 0 s
                    .andThenAPublished(healthy(TOTAL))
                    .whenTimeElapses(Duration.ofSeconds(1))
                    .expectDispatchedCommands(new CompleteDeploymentCommand(ID))
                    .expectActiveSagas(1);
        }

        @Test
        void aStageThatTurnedUnhealthyAgainDoesNotAdvanceWhenItsWaitIsOver() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenAPublished(new HealthCheckRecorded(ID, TENANT,
                            List.of(instance("i-1", InstanceState.Unhealthy, "GET /health answered 500")), false, 1))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectNoDispatchedCommands();
        }

        @Test
        void aRedeliveredHealthyCheckDoesNotAdvanceTwice() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .whenPublishingA(healthy(1))
                    .expectNoDispatchedCommands();
        }
    }

    @Nested
    class HealthChecks {

        private final DeploymentPlan plan = canary(HEALTH_INTERVAL);

        @Test
        void aDueHealthCheckReconcilesTheCountsAndRecordsWhatTheRuntimeSees() throws Exception {
            List<InstanceHealth> seen = List.of(instance("i-1", InstanceState.Healthy, null));
            runtime.scriptHealth(NEW, seen);
            var given = atStage(plan, TOTAL, OLD, 0);
            runtime.lose(TARGET, NEW, 1); // the stage's one instance died behind the saga's back

            given.whenTimeElapses(Duration.ofSeconds(HEALTH_INTERVAL))
                    .expectTriggeredDeadlinesWithName(HEALTH_CHECK)
                    .expectDispatchedCommands(new RecordHealthCheckCommand(ID, seen))
                    .expectScheduledDeadlineMatching(Duration.ofSeconds(HEALTH_INTERVAL), deadline(HEALTH_CHECK));
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 1), new ScaleCall(TARGET, OLD, 9));
            assertThat(runtime.runningCount(TARGET, NEW)).as("restarted by the reconcile").isEqualTo(1);
            assertThat(runtime.checkCalls()).containsExactly(new CheckCall(TARGET, NEW));
        }

        @Test
        void healthIsCheckedEveryInterval() throws Exception {
            List<InstanceHealth> seen = List.of(instance("i-1", InstanceState.Unhealthy, "HTTP 500"));
            runtime.scriptHealth(NEW, seen);
            atStage(plan, TOTAL, OLD, 0)
                    .whenTimeElapses(Duration.ofSeconds(3L * HEALTH_INTERVAL))
                    .expectTriggeredDeadlinesWithName(HEALTH_CHECK, HEALTH_CHECK, HEALTH_CHECK)
                    .expectDispatchedCommands(new RecordHealthCheckCommand(ID, seen),
                            new RecordHealthCheckCommand(ID, seen), new RecordHealthCheckCommand(ID, seen));
            assertThat(runtime.checkCalls()).hasSize(3);
        }

        @Test
        void beforeTheFirstStageTheHealthCheckOnlyReschedulesItself() throws Exception {
            fixture.givenAPublished(started(plan, TOTAL, OLD))
                    .andThenAPublished(activated())
                    .whenTimeElapses(Duration.ofSeconds(HEALTH_INTERVAL))
                    .expectTriggeredDeadlinesWithName(HEALTH_CHECK)
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(Duration.ofSeconds(HEALTH_INTERVAL), deadline(HEALTH_CHECK));
            assertThat(runtime.scaleCalls()).isEmpty();
            assertThat(runtime.checkCalls()).isEmpty();
        }
    }

    @Nested
    class FailureThreshold {

        private final List<InstanceHealth> failing = List.of(
                instance("i-1", InstanceState.Healthy, null),
                instance("i-2", InstanceState.Unhealthy, "HTTP 503"),
                instance("i-3", InstanceState.Exited, null));

        @ParameterizedTest(name = "{0} failures in a row")
        @ValueSource(ints = {THRESHOLD, THRESHOLD + 2})
        void reachingTheFailureThresholdRollsBackNamingTheFailingInstances(int failures) throws Exception {
            atStage(CANARY, TOTAL, OLD, 1)
                    .whenPublishingA(new HealthCheckRecorded(ID, TENANT, failing, false, failures))
                    .expectDispatchedCommands(new RollbackDeploymentCommand(ID,
                            "stage 2 failed " + failures + " health checks in a row: "
                                    + "i-2 (2.0.0) Unhealthy: HTTP 503; i-3 (2.0.0) Exited",
                            "system", true, false));
        }

        @Test
        void failuresBelowTheThresholdDoNothing() throws Exception {
            atStage(CANARY, TOTAL, OLD, 1)
                    .whenPublishingA(new HealthCheckRecorded(ID, TENANT, failing, false, THRESHOLD - 1))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void failingChecksAreIgnoredOnceTheDeploymentIsRollingBack() throws Exception {
            atStage(CANARY, TOTAL, OLD, 1)
                    .andThenAPublished(rollbackStarted(OLD))
                    .whenPublishingA(new HealthCheckRecorded(ID, TENANT, failing, false, THRESHOLD))
                    .expectNoDispatchedCommands();
        }
    }

    @Nested
    class ProgressDeadline {

        @Test
        void aStageNotHealthyInTimeIsRolledBackNamingWhatIsNotHealthy() throws Exception {
            runtime.scriptHealth(NEW, List.of(
                    instance("i-1", InstanceState.Healthy, null),
                    instance("i-2", InstanceState.Starting, "no answer on /health yet")));
            atStage(CANARY, TOTAL, OLD, 1)
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS))
                    .expectTriggeredDeadlinesMatching(including(stageDeadline(PROGRESS_DEADLINE, 1)))
                    .expectDispatchedCommands(new RollbackDeploymentCommand(ID,
                            "stage 2 was not healthy within 120 s: i-2 (2.0.0) Starting: no answer on /health yet",
                            "system", true, false));
            assertThat(runtime.checkCalls()).containsExactly(new CheckCall(TARGET, NEW));
        }

        @Test
        void aStageWithAllItsInstancesMissingIsRolledBackForTooFewInstances() throws Exception {
            runtime.scriptHealth(NEW, List.of());
            atStage(CANARY, TOTAL, OLD, 0)
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS))
                    .expectDispatchedCommands(new RollbackDeploymentCommand(ID,
                            "stage 1 was not healthy within 120 s: too few instances running", "system", true, false));
        }

        @Test
        void aStageThatBecameHealthyInTimeIsNotRolledBack() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS))
                    .expectTriggeredDeadlinesWithName(STAGE_WAIT, PROGRESS_DEADLINE)
                    .expectDispatchedCommands(new AdvanceDeploymentStageCommand(ID, 1));
            assertThat(runtime.checkCalls()).as("the passed deadline looked at nothing").isEmpty();
        }

        @Test
        void eachStageGetsAFreshProgressDeadlineAndThePreviousStagesOneDoesNothing() throws Exception {
            runtime.scriptHealth(NEW, List.of(instance("i-2", InstanceState.Starting, null)));
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .andThenAPublished(advanced(CANARY, 1))
                    // stage 1's progress deadline passes now, while stage 2 is not healthy yet
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS - 1))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ofSeconds(1)), stageDeadline(PROGRESS_DEADLINE, 1));
            assertThat(runtime.checkCalls()).isEmpty();
        }

        /** As when an earlier build ended its saga at completion and this one supervises: the stage was never seen healthy. */
        @Test
        void aCompletedDeploymentIsNotRolledBackAtItsLastStagesProgressDeadline() throws Exception {
            runtime.scriptHealth(NEW, List.of(instance("i-1", InstanceState.Starting, null)));
            atStage(CANARY, TOTAL, OLD, 3)
                    .andThenAPublished(completed())
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS))
                    .expectTriggeredDeadlinesMatching(including(stageDeadline(PROGRESS_DEADLINE, 3)))
                    .expectNoDispatchedCommands();
        }
    }

    @Nested
    class PauseAndResume {

        @Test
        void aPausedDeploymentDoesNotAdvanceADueStage() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenAPublished(new DeploymentPaused(ID, TENANT, "alice"))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectTriggeredDeadlinesWithName(STAGE_WAIT)
                    .expectNoDispatchedCommands();
        }

        @Test
        void resumingAdvancesAStageThatBecameDueWhilePaused() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenAPublished(new DeploymentPaused(ID, TENANT, "alice"))
                    .andThenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .whenPublishingA(new DeploymentResumed(ID, TENANT, "alice"))
                    .expectDispatchedCommands(new AdvanceDeploymentStageCommand(ID, 1));
        }

        @Test
        void resumingBeforeTheStageIsDueDoesNotAdvance() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenAPublished(new DeploymentPaused(ID, TENANT, "alice"))
                    .whenPublishingA(new DeploymentResumed(ID, TENANT, "alice"))
                    .expectNoDispatchedCommands();
        }

        @Test
        void aPausedStageIsNotRolledBackAtItsProgressDeadline() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(new DeploymentPaused(ID, TENANT, "alice"))
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS))
                    .expectTriggeredDeadlinesMatching(including(stageDeadline(PROGRESS_DEADLINE, 0)))
                    .expectNoDispatchedCommands();
        }

        @Test
        void resumingGivesAStageNotHealthyYetAFreshProgressDeadline() throws Exception {
            runtime.scriptHealth(NEW, List.of(instance("i-1", InstanceState.Starting, "no answer yet")));
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(new DeploymentPaused(ID, TENANT, "alice"))
                    .andThenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS)) // the stage's own deadline passes paused
                    .andThenAPublished(new DeploymentResumed(ID, TENANT, "alice"))
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS))
                    .expectTriggeredDeadlinesMatching(including(stageDeadline(PROGRESS_DEADLINE, 0)))
                    .expectDispatchedCommands(new RollbackDeploymentCommand(ID,
                            "stage 1 was not healthy within 120 s: i-1 (2.0.0) Starting: no answer yet",
                            "system", true, false));
        }

        @Test
        void promotingAPausedDeploymentEndsThePause() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(new DeploymentPaused(ID, TENANT, "alice"))
                    .andThenAPublished(promoted())
                    .andThenAPublished(healthy(TOTAL))
                    .whenTimeElapses(Duration.ofSeconds(1))
                    .expectDispatchedCommands(new CompleteDeploymentCommand(ID));
        }

        @Test
        void aResumedDeploymentAdvancesWhenItsStageLaterBecomesDue() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(new DeploymentPaused(ID, TENANT, "alice"))
                    .andThenAPublished(new DeploymentResumed(ID, TENANT, "alice"))
                    .andThenAPublished(healthy(1))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectDispatchedCommands(new AdvanceDeploymentStageCommand(ID, 1));
        }
    }

    @Nested
    class Promotion {

        @Test
        void promotingScalesStraightToTheLastStage() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .whenPublishingA(promoted())
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ZERO), stageDeadline(STAGE_WAIT, 3))
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ofSeconds(PROGRESS_SECONDS)),
                            stageDeadline(PROGRESS_DEADLINE, 3));
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, TOTAL), new ScaleCall(TARGET, OLD, 0));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(NEW, TOTAL));
        }

        @Test
        void aPromotedDeploymentCompletesOnceHealthy() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(promoted())
                    .andThenAPublished(healthy(TOTAL))
                    .whenTimeElapses(Duration.ofSeconds(1))
                    .expectDispatchedCommands(new CompleteDeploymentCommand(ID));
        }

        @Test
        void theProgressDeadlineOfTheStageLeftByAPromotionDoesNotJudgeTheLastStage() throws Exception {
            runtime.scriptHealth(NEW, List.of(instance("i-9", InstanceState.Starting, null)));
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenTimeElapses(Duration.ofSeconds(100))
                    .andThenAPublished(promoted())
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS - 100)) // stage 0's deadline passes
                    .expectTriggeredDeadlinesMatching(including(stageDeadline(PROGRESS_DEADLINE, 0)))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ofSeconds(100)), stageDeadline(PROGRESS_DEADLINE, 3));
        }

        @Test
        void theWaitOfTheStageLeftByAPromotionDoesNotCountForTheLastStage() throws Exception {
            DeploymentPlan plan = plan(DeploymentStrategy.Canary,
                    new DeploymentStep(10, 1, STAGE_WAIT_SECONDS), new DeploymentStep(100, TOTAL, 2 * STAGE_WAIT_SECONDS));
            atStage(plan, TOTAL, OLD, 0)
                    .andThenTimeElapses(Duration.ofSeconds(10))
                    .andThenAPublished(new DeploymentPromoted(ID, TENANT, 1, 100, TOTAL, "alice"))
                    .andThenAPublished(healthy(TOTAL))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS - 10)) // stage 0's wait is over
                    .expectTriggeredDeadlinesWithName(STAGE_WAIT)
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(fixture.currentTime().plus(Duration.ofSeconds(STAGE_WAIT_SECONDS + 10)), stageDeadline(STAGE_WAIT, 1));
        }
    }

    @Nested
    class RollbackAndAbort {

        @Test
        void aRollbackRestoresThePreviousVersionAndConfirmsAtOnceWhenTheRuntimeShowsIt() throws Exception {
            atStage(CANARY, TOTAL, OLD, 1)
                    .whenPublishingA(rollbackStarted(OLD))
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID))
                    .expectNoScheduledDeadlineMatching(deadline(ROLLBACK_CHECK))
                    .expectActiveSagas(1);
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, TOTAL));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(OLD, TOTAL));
        }

        @Test
        void aRollbackTheRuntimeHasNotCarriedOutYetIsCheckedAgainLater() throws Exception {
            var given = atStage(CANARY, TOTAL, OLD, 1);
            runtime.lag();
            given.whenPublishingA(rollbackStarted(OLD))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(DeploymentSaga.ROLLBACK_CHECK_INTERVAL, deadline(ROLLBACK_CHECK));
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, TOTAL));
        }

        @Test
        void theRollbackIsConfirmedWhenTheRuntimeHasCaughtUpAtTheNextCheck() throws Exception {
            var given = atStage(CANARY, TOTAL, OLD, 1);
            runtime.lag();
            given = given.andThenAPublished(rollbackStarted(OLD));
            runtime.catchUp();
            given.whenTimeElapses(DeploymentSaga.ROLLBACK_CHECK_INTERVAL)
                    .expectTriggeredDeadlinesWithName(ROLLBACK_CHECK)
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID))
                    .expectNoScheduledDeadlineMatching(deadline(ROLLBACK_CHECK));
            assertThat(runtime.scaleCalls()).as("the check repeats the (idempotent) scale calls").containsExactly(
                    new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, TOTAL));
        }

        @Test
        void theRollbackIsNotConfirmedWhileThePreviousVersionIsShortOfItsFullSize() throws Exception {
            var given = atStage(CANARY, TOTAL, OLD, 1);
            runtime.lag();
            given = given.andThenAPublished(rollbackStarted(OLD));
            runtime.alreadyRunning(TARGET, NEW, 0); // the new instances are gone, the old ones not all back
            given.whenTimeElapses(DeploymentSaga.ROLLBACK_CHECK_INTERVAL)
                    .expectTriggeredDeadlinesWithName(ROLLBACK_CHECK)
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(DeploymentSaga.ROLLBACK_CHECK_INTERVAL, deadline(ROLLBACK_CHECK));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(OLD, 7));
        }

        @Test
        void aDueStageDoesNotAdvanceOnceRollingBack() throws Exception {
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(healthy(1))
                    .andThenAPublished(rollbackStarted(OLD))
                    .whenTimeElapses(Duration.ofSeconds(STAGE_WAIT_SECONDS))
                    .expectTriggeredDeadlinesWithName(STAGE_WAIT)
                    .expectNoDispatchedCommands();
        }

        @Test
        void theProgressDeadlineDoesNotRollBackAgainOnceRollingBack() throws Exception {
            runtime.scriptHealth(NEW, List.of(instance("i-1", InstanceState.Unhealthy, "HTTP 500")));
            atStage(CANARY, TOTAL, OLD, 0)
                    .andThenAPublished(rollbackStarted(OLD))
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS))
                    .expectTriggeredDeadlinesWithName(STAGE_WAIT, PROGRESS_DEADLINE)
                    .expectNoDispatchedCommands();
            assertThat(runtime.checkCalls()).isEmpty();
        }

        @Test
        void healthChecksStopOnceRollingBack() throws Exception {
            atStage(canary(HEALTH_INTERVAL), TOTAL, OLD, 1)
                    .andThenAPublished(rollbackStarted(OLD))
                    .whenTimeElapses(Duration.ofSeconds(HEALTH_INTERVAL))
                    .expectTriggeredDeadlinesWithName(HEALTH_CHECK)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlineMatching(deadline(HEALTH_CHECK));
            assertThat(runtime.scaleCalls()).as("no reconcile back to the stage's counts").isEmpty();
            assertThat(runtime.checkCalls()).isEmpty();
        }

        @Test
        void abortingRestoresTheTargetVersionAndConfirms() throws Exception {
            atStage(CANARY, TOTAL, OLD, 2)
                    .whenPublishingA(new DeploymentAborted(ID, TENANT, "aborted by alice: wrong build", "alice", OLD))
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID))
                    .expectNoScheduledDeadlineMatching(deadline(ROLLBACK_CHECK));
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, TOTAL));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(OLD, TOTAL));
        }

        @Test
        void abortingAFirstInstallTakesEveryNewInstanceDown() throws Exception {
            runtime = freshRuntimeWithNothingRunning();
            atStage(CANARY, TOTAL, null, 1)
                    .whenPublishingA(new DeploymentAborted(ID, TENANT, "aborted by alice: not needed", "alice", null))
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID))
                    .expectNoScheduledDeadlineMatching(deadline(ROLLBACK_CHECK));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, 0));
            assertThat(runtime.running(TARGET)).isEmpty();
        }

        @Test
        void anAbortTheRuntimeHasNotCarriedOutYetIsCheckedAgainLater() throws Exception {
            var given = atStage(CANARY, TOTAL, OLD, 2);
            runtime.lag();
            given.whenPublishingA(new DeploymentAborted(ID, TENANT, "aborted by alice: wrong build", "alice", OLD))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(DeploymentSaga.ROLLBACK_CHECK_INTERVAL, deadline(ROLLBACK_CHECK));
        }
    }

    @Nested
    class RollbackOfACompletedDeployment {

        @Test
        void aRollbackWithoutARunningSagaStartsOneThatRestoresThePreviousVersion() throws Exception {
            runtime.alreadyRunning(TARGET, OLD, 0);
            runtime.alreadyRunning(TARGET, NEW, TOTAL);
            fixture.givenNoPriorActivity()
                    .whenPublishingA(rollbackStarted(OLD))
                    .expectActiveSagas(1)
                    .expectAssociationWith(DeploymentSaga.ASSOCIATION, ID)
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID))
                    .expectNoScheduledDeadlines();
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, TOTAL));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(OLD, TOTAL));
        }

        @Test
        void aRollbackAfterTheSagaEndedWithCompletionStartsANewOne() throws Exception {
            atStage(CANARY, TOTAL, OLD, 3)
                    .andThenAPublished(completed())
                    .whenPublishingA(rollbackStarted(OLD))
                    .expectActiveSagas(1)
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID));
            assertThat(runtime.scaleCalls()).containsExactly(
                    new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, TOTAL));
        }

        @Test
        void theNewSagaConfirmsOnceTheRuntimeHasCaughtUp() throws Exception {
            runtime.alreadyRunning(TARGET, OLD, 0);
            runtime.alreadyRunning(TARGET, NEW, TOTAL);
            runtime.lag();
            var given = fixture.givenAPublished(rollbackStarted(OLD))
                    .andThenTimeElapses(DeploymentSaga.ROLLBACK_CHECK_INTERVAL); // still lagging: checked again
            runtime.catchUp();
            given.whenTimeElapses(DeploymentSaga.ROLLBACK_CHECK_INTERVAL)
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID))
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(1);
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(OLD, TOTAL));
        }

        @Test
        void theNewSagaEndsWhenTheDeploymentIsRolledBack() throws Exception {
            runtime.alreadyRunning(TARGET, NEW, TOTAL);
            fixture.givenAPublished(rollbackStarted(OLD))
                    .whenPublishingA(new DeploymentRolledBack(ID, TENANT, OLD))
                    .expectActiveSagas(0)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines();
        }

        @Test
        void aRollbackNamingHowManyInstancesToRestoreRestoresThatMany() throws Exception {
            runtime.alreadyRunning(TARGET, OLD, 0);
            runtime.alreadyRunning(TARGET, NEW, TOTAL);
            fixture.givenNoPriorActivity()
                    .whenPublishingA(new DeploymentRollbackStarted(ID, TENANT, PLUGIN, NEW, ENV, TOTAL,
                            "error rate too high", "alice", false, OLD, 4))
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, 4));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(OLD, 4));
        }

        @Test
        void rollingBackACompletedFirstInstallLeavesNothingRunning() throws Exception {
            runtime = freshRuntimeWithNothingRunning();
            runtime.alreadyRunning(TARGET, NEW, TOTAL);
            fixture.givenNoPriorActivity()
                    .whenPublishingA(rollbackStarted(null))
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, 0));
            assertThat(runtime.running(TARGET)).isEmpty();
        }
    }

    @Nested
    class Ending {

        @Test
        void aRolledBackDeploymentEndsTheSaga() throws Exception {
            atStage(CANARY, TOTAL, OLD, 1)
                    .andThenAPublished(rollbackStarted(OLD))
                    .whenPublishingA(new DeploymentRolledBack(ID, TENANT, OLD))
                    .expectActiveSagas(0)
                    .expectNoDispatchedCommands();
        }

        @Test
        void aFailedDeploymentEndsTheSaga() throws Exception {
            atStage(CANARY, TOTAL, OLD, 1)
                    .whenPublishingA(new DeploymentFailed(ID, TENANT, "the runtime did not confirm the rollback"))
                    .expectActiveSagas(0)
                    .expectNoDispatchedCommands();
            assertThat(runtime.scaleCalls()).isEmpty();
        }

        @Test
        void anAbortedQueuedDeploymentEndsWithItsFailure() throws Exception {
            fixture.givenAPublished(started(CANARY, TOTAL, OLD))
                    .andThenAPublished(new DeploymentAborted(ID, TENANT, "aborted by alice: not now", "alice", OLD))
                    .whenPublishingA(new DeploymentFailed(ID, TENANT, "aborted by alice: not now"))
                    .expectActiveSagas(0);
        }

        @Test
        void deadlinesLeftByAFailedDeploymentDoNothing() throws Exception {
            runtime.scriptHealth(NEW, List.of(instance("i-1", InstanceState.Exited, "exit code 1")));
            atStage(canary(HEALTH_INTERVAL), TOTAL, OLD, 1)
                    .andThenAPublished(new DeploymentFailed(ID, TENANT, "aborted by alice: not now"))
                    .whenTimeElapses(Duration.ofSeconds(PROGRESS_SECONDS))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(0);
            assertThat(runtime.scaleCalls()).isEmpty();
            assertThat(runtime.checkCalls()).isEmpty();
        }
    }


    @Nested
    class Supervision {

        private final DeploymentPlan plan = canary(HEALTH_INTERVAL);
        private final Duration interval = Duration.ofSeconds(HEALTH_INTERVAL);

        private ContinuedGivenState completedAndHealthy() throws Exception {
            runtime.scriptHealth(NEW, healthy(TOTAL).instances());
            return atStage(plan, TOTAL, OLD, 3).andThenAPublished(completed());
        }

        @Test
        void aCompletedDeploymentKeepsItsSagaToSuperviseIt() throws Exception {
            atStage(plan, TOTAL, OLD, 3)
                    .whenPublishingA(completed())
                    .expectActiveSagas(1)
                    .expectNoDispatchedCommands();
        }

        @Test
        void aCheckThatFindsNothingNewKeepsTheCountLogsTheCheckAndRecordsNoEvent() throws Exception {
            completedAndHealthy()
                    .whenTimeElapses(interval)
                    .expectTriggeredDeadlinesMatching(including(deadline(HEALTH_CHECK)))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineMatching(interval, deadline(HEALTH_CHECK));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, TOTAL));
            assertThat(loggedChecks).containsExactly(healthy(TOTAL).instances());
        }

        @Test
        void aTurnToUnhealthyIsRecordedOnceNotAtEveryCheck() throws Exception {
            List<InstanceHealth> seen = new ArrayList<>(healthy(TOTAL - 1).instances());
            seen.add(instance("i-10", InstanceState.Unhealthy, "GET /health answered 500"));
            var given = completedAndHealthy();
            runtime.scriptHealth(NEW, seen);
            given.whenTimeElapses(interval.multipliedBy(3))
                    .expectDispatchedCommands(new RecordDeploymentHealthChangeCommand(ID, OverallHealth.Unhealthy, seen,
                            "Healthy → Unhealthy: i-10 (2.0.0) Unhealthy: GET /health answered 500"));
            assertThat(loggedChecks).hasSize(3);
        }

        @Test
        void anInstanceTheRuntimeRestartedIsRecordedWithItsRestartCount() throws Exception {
            List<InstanceHealth> seen = new ArrayList<>(healthy(TOTAL - 1).instances());
            seen.add(new InstanceHealth("i-10", NEW, InstanceState.Healthy, null, 1));
            var given = completedAndHealthy();
            runtime.scriptHealth(NEW, seen);
            given.whenTimeElapses(interval.multipliedBy(2))
                    .expectDispatchedCommands(new RecordDeploymentHealthChangeCommand(ID, OverallHealth.Healthy, seen,
                            "i-10 restarted (1 restart)"));
        }

        @Test
        void anInstanceThatStoppedAnsweringForThresholdChecksIsReplaced() throws Exception {
            List<InstanceHealth> seen = new ArrayList<>(healthy(TOTAL - 1).instances());
            seen.add(instance("i-10", InstanceState.NotAnswering, "GET /health failed: HttpTimeoutException"));
            var given = completedAndHealthy();
            runtime.scriptHealth(NEW, seen);
            given.whenTimeElapses(interval.multipliedBy(THRESHOLD - 1));
            assertThat(runtime.replaceCalls()).isEmpty();
            given.whenTimeElapses(interval.multipliedBy(THRESHOLD));
            assertThat(runtime.replaceCalls()).containsExactly(new FakePluginRuntime.ReplaceCall(TARGET, "i-10"));
        }

        @Test
        void aNewerDeploymentOfTheSamePluginTakesTheInstancesOver() throws Exception {
            completedAndHealthy()
                    .andThenAPublished(reservedBy("dep-2"))
                    .whenTimeElapses(interval.multipliedBy(3))
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlineMatching(deadline(HEALTH_CHECK));
            assertThat(runtime.scaleCalls()).isEmpty();
            assertThat(runtime.checkCalls()).isEmpty();
        }

        @Test
        void supervisionResumesWhenTheNewerDeploymentEndsWithoutBecomingStable() throws Exception {
            completedAndHealthy()
                    .andThenAPublished(reservedBy("dep-2"))
                    .whenPublishingA(releasedBy("dep-2"))
                    .expectScheduledDeadlineMatching(interval, deadline(HEALTH_CHECK));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, TOTAL));
        }

        @Test
        void aCheckLeftPendingFromBeforeTheHandOverStartsNoSecondChainOfChecks() throws Exception {
            completedAndHealthy() // its next check is pending when dep-2 takes over and hands back
                    .andThenAPublished(reservedBy("dep-2"))
                    .andThenAPublished(releasedBy("dep-2"))
                    .whenTimeElapses(interval.multipliedBy(3))
                    .expectScheduledDeadlineMatching(interval, deadline(HEALTH_CHECK));
            assertThat(runtime.checkCalls()).as("one check per interval").hasSize(3);
        }

        @Test
        void aReleaseWhileThisDeploymentIsStillInChargeChangesNothing() throws Exception {
            completedAndHealthy()
                    .andThenAPublished(releasedBy("dep-2"))
                    .whenTimeElapses(interval.multipliedBy(3))
                    .expectNoDispatchedCommands();
            assertThat(runtime.checkCalls()).as("one check per interval").hasSize(3);
        }

        @Test
        void aSupersededDeploymentSleepsWithoutChecks() throws Exception {
            completedAndHealthy()
                    .andThenAPublished(reservedBy("dep-2"))
                    .andThenAPublished(new TenantQuotaSettled(TENANT, "dep-2", PLUGIN, "3.0.0", ENV, ID, TenantUsage.NONE))
                    .whenTimeElapses(interval.multipliedBy(3))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
            assertThat(runtime.checkCalls()).isEmpty();
        }

        @Test
        void aDeploymentAnEarlierBuildCompletedStartsASupervisingSaga() throws Exception {
            runtime = freshRuntimeWithNothingRunning();
            fixture.givenNoPriorActivity()
                    .whenPublishingA(new DeploymentSupervisionStarted(ID, TENANT, PLUGIN, NEW, ENV, TOTAL, plan))
                    .expectActiveSagas(1)
                    .expectScheduledDeadlineMatching(interval, deadline(HEALTH_CHECK));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, TOTAL));
        }

        private TenantQuotaReserved reservedBy(String newer) {
            return new TenantQuotaReserved(TENANT, newer, PLUGIN, "3.0.0", ENV, 1.0, 1.0, List.of(), TenantUsage.NONE,
                    TOTAL, 0.0, 0.0, ID);
        }

        private TenantQuotaReleased releasedBy(String newer) {
            return new TenantQuotaReleased(TENANT, newer, 1.0, 1.0, null, TenantUsage.NONE, ID);
        }
    }

    @Nested
    class ExactRestore {

        @Test
        void aCanaryHandsOverItsShareOfAnOldSetOfAnotherSize() throws Exception {
            // 6 old instances, 10 new: stage 1 runs 1 new and 6 - ceil(6 * 1 / 10) = 5 old
            runtime.alreadyRunning(TARGET, OLD, 6);
            fixture.givenAPublished(startedReplacing(6)).andThenAPublished(activated())
                    .whenPublishingA(advanced(CANARY, 0));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, 1), new ScaleCall(TARGET, OLD, 5));
        }

        @Test
        void aRollbackRestoresThePreviousVersionAtTheCountItRanWith() throws Exception {
            runtime.alreadyRunning(TARGET, OLD, 6);
            fixture.givenAPublished(startedReplacing(6)).andThenAPublished(activated())
                    .andThenAPublished(advanced(CANARY, 0))
                    .whenPublishingA(rollbackStarted(OLD))
                    .expectDispatchedCommands(new ConfirmDeploymentRollbackCommand(ID));
            assertThat(runtime.scaleCalls()).containsExactly(new ScaleCall(TARGET, NEW, 0), new ScaleCall(TARGET, OLD, 6));
            assertThat(runtime.running(TARGET)).isEqualTo(Map.of(OLD, 6));
        }

        @Test
        void aRollbackTheRuntimeNeverConfirmsFailsTheDeploymentAfterTheTimeout() throws Exception {
            var given = atStage(CANARY, TOTAL, OLD, 1);
            runtime.lag();
            given.andThenAPublished(rollbackStarted(OLD))
                    .whenTimeElapses(RollbackConfirmation.TIMEOUT.plusSeconds(2))
                    .expectDispatchedCommandsMatching(listWithAnyOf(
                            messageWithPayload(org.hamcrest.Matchers.any(FailDeploymentCommand.class))));
        }

        @Test
        void aRollbackStillNotConfirmedPastTheTimeoutFailsTheDeploymentSayingWhatRuns() throws Exception {
            var given = atStage(CANARY, TOTAL, OLD, 1); // 3 new, 7 old
            runtime.lag();
            given.andThenAPublished(rollbackStarted(OLD))
                    .andThenTimeElapses(RollbackConfirmation.TIMEOUT.minusSeconds(1)) // checked every second
                    .whenTimeElapses(Duration.ofSeconds(2))
                    .expectDispatchedCommands(new FailDeploymentCommand(ID,
                            "the runtime did not confirm the rollback within 10 minutes; running now: {1.0.0=7, 2.0.0=3}"))
                    .expectNoScheduledDeadlineMatching(deadline(ROLLBACK_CHECK));
        }

        private DeploymentStarted startedReplacing(int previousInstances) {
            return new DeploymentStarted(ID, TENANT, PLUGIN, NEW, ENV, Map.of(), CANARY, TOTAL, OLD, previousInstances);
        }
    }

    @Nested
    class Conflicts {

        @Test
        void aCommandRefusedAsAConflictIsDroppedAndTheSagaCarriesOn() throws Exception {
            fixture.setCallbackBehavior((command, metaData) -> {
                throw new ConflictException("invalid-deployment-status", "Cannot advance deployment " + ID);
            });
            fixture.givenAPublished(started(canary(HEALTH_INTERVAL), TOTAL, OLD))
                    .whenPublishingA(activated())
                    .expectSuccessfulHandlerExecution()
                    .expectDispatchedCommands(new AdvanceDeploymentStageCommand(ID, 0))
                    .expectScheduledDeadlineMatching(Duration.ofSeconds(HEALTH_INTERVAL), deadline(HEALTH_CHECK));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Published: started, activated and every stage up to {@code stage} (-1: none yet). Time does not move. */
    private ContinuedGivenState atStage(DeploymentPlan plan, int total, String previous, int stage) {
        ContinuedGivenState given = fixture.givenAPublished(started(plan, total, previous)).andThenAPublished(activated());
        for (int s = 0; s <= stage; s++) given = given.andThenAPublished(advanced(plan, s));
        return given;
    }

    private FakePluginRuntime freshRuntimeWithNothingRunning() {
        FakePluginRuntime fresh = new FakePluginRuntime();
        fixture = new SagaTestFixture<>(DeploymentSaga.class);
        fixture.registerResource(FakePluginVersions.over(fresh));
        fixture.registerResource(new SimpleMeterRegistry());
        fixture.registerResource(healthLog);
        fixture.registerStartRecordingCallback(fresh::forgetCalls);
        return fresh;
    }

    private static DeploymentPlan canary(int healthCheckIntervalSeconds) {
        return plan(DeploymentStrategy.Canary, healthCheckIntervalSeconds,
                new DeploymentStep(10, 1, STAGE_WAIT_SECONDS), new DeploymentStep(30, 3, STAGE_WAIT_SECONDS),
                new DeploymentStep(50, 5, STAGE_WAIT_SECONDS), new DeploymentStep(100, 10, 0));
    }

    private static DeploymentPlan plan(DeploymentStrategy strategy, DeploymentStep... steps) {
        return plan(strategy, QUIET_HEALTH_INTERVAL, steps);
    }

    private static DeploymentPlan plan(DeploymentStrategy strategy, int healthInterval, DeploymentStep... steps) {
        return new DeploymentPlan(strategy, List.of(steps), healthInterval, THRESHOLD, PROGRESS_SECONDS);
    }

    private static DeploymentStarted started(DeploymentPlan plan, int total, String previous) {
        return new DeploymentStarted(ID, TENANT, PLUGIN, NEW, ENV, Map.of(), plan, total, previous, null);
    }

    private static DeploymentActivated activated() {
        return new DeploymentActivated(ID, TENANT);
    }

    private static DeploymentStageAdvanced advanced(DeploymentPlan plan, int stage) {
        DeploymentStep step = plan.steps().get(stage);
        return new DeploymentStageAdvanced(ID, TENANT, stage, step.percentage(), step.instances());
    }

    private static DeploymentPromoted promoted() {
        int last = CANARY.steps().size() - 1;
        DeploymentStep step = CANARY.steps().get(last);
        return new DeploymentPromoted(ID, TENANT, last, step.percentage(), step.instances(), "alice");
    }

    private static DeploymentCompleted completed() {
        return new DeploymentCompleted(ID, TENANT, PLUGIN, NEW, ENV);
    }

    private static DeploymentRollbackStarted rollbackStarted(String targetVersion) {
        return new DeploymentRollbackStarted(ID, TENANT, PLUGIN, NEW, ENV, TOTAL, "error rate too high", "alice",
                false, targetVersion, null);
    }

    private static HealthCheckRecorded healthy(int instances) {
        List<InstanceHealth> all = IntStream.rangeClosed(1, instances)
                .mapToObj(i -> instance("i-" + i, InstanceState.Healthy, null)).toList();
        return new HealthCheckRecorded(ID, TENANT, all, true, 0);
    }

    private static InstanceHealth instance(String id, InstanceState state, String detail) {
        return new InstanceHealth(id, NEW, state, detail);
    }

    private static Map<String, Integer> running(int newInstances, int oldInstances) {
        Map<String, Integer> counts = new HashMap<>();
        if (newInstances > 0) counts.put(NEW, newInstances);
        if (oldInstances > 0) counts.put(OLD, oldInstances);
        return counts;
    }

    /** The triggered deadlines include one matching each of {@code expected} (older stages' ones fire too). */
    @SafeVarargs
    private static Matcher<List<DeadlineMessage<?>>> including(Matcher<DeadlineMessage<?>>... expected) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(List<DeadlineMessage<?>> triggered) {
                return Arrays.stream(expected).allMatch(m -> triggered.stream().anyMatch(m::matches));
            }

            @Override
            public void describeTo(Description description) {
                description.appendList("deadlines including ", ", ", "", List.of(expected));
            }
        };
    }

    /** A stage's deadline: its payload is the stage number. */
    private static Matcher<DeadlineMessage<?>> stageDeadline(String name, int stage) {
        return deadlineWith(name, Integer.toString(stage));
    }

    /** A deadline of the deployment as a whole: its payload is the deployment id. */
    /** A deadline by name, whatever it carries (health checks carry their round number). */
    private static Matcher<DeadlineMessage<?>> deadline(String name) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DeadlineMessage<?> message) {
                return name.equals(message.getDeadlineName());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("deadline '" + name + "'");
            }
        };
    }

    private static Matcher<DeadlineMessage<?>> deadlineWith(String name, String payload) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DeadlineMessage<?> message) {
                return name.equals(message.getDeadlineName()) && payload.equals(message.getPayload());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("deadline '" + name + "' with payload '" + payload + "'");
            }
        };
    }
}
