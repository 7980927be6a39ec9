package io.hotswap.command.deployment;

import io.hotswap.api.deployment.AbortDeploymentCommand;
import io.hotswap.api.deployment.ActivateDeploymentCommand;
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
import io.hotswap.api.deployment.DeploymentHealthChanged;
import io.hotswap.api.deployment.DeploymentStarted;
import io.hotswap.api.deployment.DeploymentSupervisionStarted;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.api.deployment.RecordDeploymentHealthChangeCommand;
import io.hotswap.api.deployment.SuperviseDeploymentCommand;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.deployment.FailDeploymentCommand;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.api.deployment.PauseDeploymentCommand;
import io.hotswap.api.deployment.PromoteDeploymentCommand;
import io.hotswap.api.deployment.RecordHealthCheckCommand;
import io.hotswap.api.deployment.ResumeDeploymentCommand;
import io.hotswap.api.deployment.RollbackDeploymentCommand;
import io.hotswap.api.error.ConflictException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hotswap.command.Refusals.conflict;
import static org.assertj.core.api.Assertions.assertThat;

class DeploymentTest {

    private static final String ID = "dep-1";
    private static final String TENANT = "acme";
    private static final String PLUGIN = "weather";
    private static final String VERSION = "2.0.0";
    private static final String PREVIOUS = "1.0.0";
    private static final String ENV = "Production";
    private static final DeploymentPlan PLAN = new DeploymentPlan(DeploymentStrategy.Canary, List.of(
            new DeploymentStep(10, 1, 60),
            new DeploymentStep(50, 5, 60),
            new DeploymentStep(100, 10, 0)), 10, 3, 600);

    private static final DeploymentStarted STARTED = new DeploymentStarted(ID, TENANT, PLUGIN, VERSION, ENV,
            Map.of("stages", "10,50,100", "stageInterval", "60"), PLAN, 10, PREVIOUS, null);
    private static final DeploymentActivated ACTIVATED = new DeploymentActivated(ID, TENANT);
    private static final DeploymentStageAdvanced STAGE_0 = new DeploymentStageAdvanced(ID, TENANT, 0, 10, 1);
    private static final DeploymentStageAdvanced STAGE_1 = new DeploymentStageAdvanced(ID, TENANT, 1, 50, 5);
    private static final DeploymentStageAdvanced STAGE_2 = new DeploymentStageAdvanced(ID, TENANT, 2, 100, 10);
    private static final DeploymentPaused PAUSED = new DeploymentPaused(ID, TENANT, "alice");
    private static final String ABORT_REASON = "aborted by carol: wrong config";

    private static final InstanceHealth OK_A = new InstanceHealth("i-a", VERSION, InstanceState.Healthy, null);
    private static final InstanceHealth OK_B = new InstanceHealth("i-b", VERSION, InstanceState.Healthy, null);
    private static final InstanceHealth SICK_B = new InstanceHealth("i-b", VERSION, InstanceState.Unhealthy, "HTTP 503");
    private static final InstanceHealth STARTING_B = new InstanceHealth("i-b", VERSION, InstanceState.Starting,
            "not answering yet");
    private static final InstanceHealth EXITED_B = new InstanceHealth("i-b", VERSION, InstanceState.Exited,
            "exit code 1");

    private FixtureConfiguration<Deployment> fixture;
    private RecordingRollbackGuard guard;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Deployment.class);
        guard = new RecordingRollbackGuard();
        fixture.registerInjectableResource(guard);
    }

    // --- creation and activation ---

    @Test
    void theCreatingConstructorAppliesDeploymentStarted() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> new Deployment(ID, TENANT, PLUGIN, VERSION, ENV, STARTED.strategyConfig(),
                        PLAN, 10, PREVIOUS, null))
                .expectEvents(STARTED)
                .expectState(deployment -> assertThat(deployment).extracting("status").isEqualTo(DeploymentStatus.Queued));
    }

    @Test
    void activatingAQueuedDeploymentPutsItInProgress() {
        fixture.given(STARTED)
                .when(new ActivateDeploymentCommand(ID))
                .expectEvents(ACTIVATED)
                .expectState(deployment -> assertThat(deployment).extracting("status").isEqualTo(DeploymentStatus.InProgress));
    }

    @Test
    void activatingTwiceIsANoOp() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new ActivateDeploymentCommand(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void activatingADeploymentThatEndedWhileQueuedIsANoOp() {
        fixture.given(STARTED, rollbackStarted("not needed", "alice", false, PREVIOUS),
                        rolledBack())
                .when(new ActivateDeploymentCommand(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void activatingAPausedDeploymentIsANoOp() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, PAUSED)
                .when(new ActivateDeploymentCommand(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectState(deployment -> assertThat(deployment).extracting("status").isEqualTo(DeploymentStatus.Paused));
    }

    // --- stages ---

    @Test
    void refusesToAdvanceAQueuedDeployment() {
        fixture.given(STARTED)
                .when(new AdvanceDeploymentStageCommand(ID, 0))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Queued")))
                .expectNoEvents();
    }

    @Test
    void advancingToTheFirstStageEmitsItsPercentageAndInstances() {
        fixture.given(STARTED, ACTIVATED)
                .when(new AdvanceDeploymentStageCommand(ID, 0))
                .expectEvents(STAGE_0);
    }

    @Test
    void advancesStageByStage() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectEvents(STAGE_1);
    }

    @Test
    void repeatingTheCurrentStageChangesNothing() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new AdvanceDeploymentStageCommand(ID, 0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anEarlierStageArrivingLateChangesNothing() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1)
                .when(new AdvanceDeploymentStageCommand(ID, 0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToSkipAStage() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new AdvanceDeploymentStageCommand(ID, 2))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesToSkipTheFirstStage() {
        fixture.given(STARTED, ACTIVATED)
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesAStageBeyondThePlan() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2)
                .when(new AdvanceDeploymentStageCommand(ID, 3))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesToAdvanceADeploymentThatIsRollingBack() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted())
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RollingBack")))
                .expectNoEvents();
    }

    // --- pause and resume ---

    @Test
    void pausingADeploymentInProgressAnswersPaused() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new PauseDeploymentCommand(ID, "alice"))
                .expectEvents(PAUSED)
                .expectResultMessagePayload(DeploymentStatus.Paused);
    }

    @Test
    void refusesToAdvanceWhilePaused() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, PAUSED)
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Paused")))
                .expectNoEvents();
    }

    @Test
    void theCurrentStageArrivingAgainWhilePausedChangesNothing() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, PAUSED)
                .when(new AdvanceDeploymentStageCommand(ID, 0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void pausingAPausedDeploymentIsANoOpThatAnswersPaused() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, PAUSED)
                .when(new PauseDeploymentCommand(ID, "bob"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(DeploymentStatus.Paused);
    }

    @Test
    void refusesToPauseAQueuedDeployment() {
        fixture.given(STARTED)
                .when(new PauseDeploymentCommand(ID, "alice"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Queued")))
                .expectNoEvents();
    }

    @Test
    void refusesToPauseACompletedDeployment() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new PauseDeploymentCommand(ID, "alice"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Completed")))
                .expectNoEvents();
    }

    @Test
    void resumingAPausedDeploymentAnswersInProgress() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, PAUSED)
                .when(new ResumeDeploymentCommand(ID, "bob"))
                .expectEvents(new DeploymentResumed(ID, TENANT, "bob"))
                .expectResultMessagePayload(DeploymentStatus.InProgress);
    }

    @Test
    void resumingADeploymentInProgressIsANoOpThatAnswersInProgress() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new ResumeDeploymentCommand(ID, "bob"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(DeploymentStatus.InProgress);
    }

    @Test
    void refusesToResumeAQueuedDeployment() {
        fixture.given(STARTED)
                .when(new ResumeDeploymentCommand(ID, "bob"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Queued")))
                .expectNoEvents();
    }

    @Test
    void refusesToCompleteWhilePaused() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, PAUSED)
                .when(new CompleteDeploymentCommand(ID))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Paused")))
                .expectNoEvents();
    }

    @Test
    void advancingContinuesAfterPauseAndResumeWhenDrivenByCommands() {
        fixture.given(STARTED)
                .andGivenCommands(new ActivateDeploymentCommand(ID), new AdvanceDeploymentStageCommand(ID, 0),
                        new PauseDeploymentCommand(ID, "alice"), new ResumeDeploymentCommand(ID, "alice"))
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectEvents(STAGE_1);
    }

    // --- promote ---

    @Test
    void promotingFromAMiddleStageJumpsToTheLastStage() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new PromoteDeploymentCommand(ID, "bob"))
                .expectEvents(new DeploymentPromoted(ID, TENANT, 2, 100, 10, "bob"))
                .expectResultMessagePayload(DeploymentStatus.InProgress);
    }

    @Test
    void aPromotedDeploymentCompletesWithoutTheSkippedStages() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, new DeploymentPromoted(ID, TENANT, 2, 100, 10, "bob"))
                .when(new CompleteDeploymentCommand(ID))
                .expectEvents(completed());
    }

    @Test
    void aSkippedStageArrivingAfterPromotionChangesNothing() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, new DeploymentPromoted(ID, TENANT, 2, 100, 10, "bob"))
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void promotingAPausedDeploymentPutsItBackInProgress() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, PAUSED)
                .when(new PromoteDeploymentCommand(ID, "bob"))
                .expectEvents(new DeploymentPromoted(ID, TENANT, 2, 100, 10, "bob"))
                .expectResultMessagePayload(DeploymentStatus.InProgress);
    }

    @Test
    void promotingAtTheLastStageIsANoOp() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2)
                .when(new PromoteDeploymentCommand(ID, "bob"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(DeploymentStatus.InProgress);
    }

    @Test
    void refusesToPromoteAQueuedDeployment() {
        fixture.given(STARTED)
                .when(new PromoteDeploymentCommand(ID, "bob"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Queued")))
                .expectNoEvents();
    }

    @Test
    void refusesToPromoteADeploymentThatIsRollingBack() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted())
                .when(new PromoteDeploymentCommand(ID, "bob"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RollingBack")))
                .expectNoEvents();
    }

    // --- health ---

    @Test
    void aCheckWithAllInstancesReadyAndHealthyIsHealthy() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, OK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, OK_B), true, 0));
    }

    @Test
    void aCheckWithOneUnhealthyInstanceIsUnhealthyAndCountsAFailure() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, SICK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, SICK_B), false, 1));
    }

    @Test
    void consecutiveFailuresCountUpAcrossChecks() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .andGivenCommands(new RecordHealthCheckCommand(ID, List.of(OK_A, SICK_B)))
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, SICK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, SICK_B), false, 2));
    }

    @Test
    void aHealthyCheckResetsTheFailureCount() {
        fixture.given(STARTED, ACTIVATED, STAGE_0,
                        new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 1),
                        new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 2))
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, OK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, OK_B), true, 0));
    }

    @Test
    void anExitedInstanceMakesTheCheckUnhealthyAndCountsAFailure() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, EXITED_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, EXITED_B), false, 1));
    }

    @Test
    void anInstanceStillStartingMakesTheCheckUnhealthyWithoutCountingAFailure() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, STARTING_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, STARTING_B), false, 0));
    }

    @Test
    void aCheckWithInstancesStillStartingLeavesTheFailureCountAsItIs() {
        fixture.given(STARTED, ACTIVATED, STAGE_0,
                        new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 1),
                        new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 2))
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, STARTING_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, STARTING_B), false, 2));
    }

    @Test
    void aCheckWithoutInstancesIsUnhealthyButCountsNoFailure() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 1))
                .when(new RecordHealthCheckCommand(ID, List.of()))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(), false, 1));
    }

    @Test
    void checksGoOnWhilePaused() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, PAUSED,
                        new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 1))
                .when(new RecordHealthCheckCommand(ID, List.of(SICK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 2));
    }

    @Test
    void aCheckWhileQueuedIsIgnored() {
        fixture.given(STARTED)
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aCheckWhileRollingBackIsIgnored() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted())
                .when(new RecordHealthCheckCommand(ID, List.of(SICK_B)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aLateCheckAfterTheEndIsIgnored() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new RecordHealthCheckCommand(ID, List.of(SICK_B)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // --- completion ---

    @Test
    void completesAfterTheLastStage() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2)
                .when(new CompleteDeploymentCommand(ID))
                .expectEvents(completed());
    }

    @Test
    void refusesToCompleteBeforeTheLastStage() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1)
                .when(new CompleteDeploymentCommand(ID))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesToCompleteBeforeAnyStage() {
        fixture.given(STARTED, ACTIVATED)
                .when(new CompleteDeploymentCommand(ID))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesToCompleteAQueuedDeployment() {
        fixture.given(STARTED)
                .when(new CompleteDeploymentCommand(ID))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Queued")))
                .expectNoEvents();
    }

    @Test
    void completingTwiceIsANoOp() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new CompleteDeploymentCommand(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToCompleteARolledBackDeployment() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, rollbackStarted(), rolledBack())
                .when(new CompleteDeploymentCommand(ID))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RolledBack")))
                .expectNoEvents();
    }

    @Test
    void aWholePlanRunsToCompletionWhenDrivenByCommands() {
        fixture.given(STARTED)
                .andGivenCommands(new ActivateDeploymentCommand(ID), new AdvanceDeploymentStageCommand(ID, 0),
                        new AdvanceDeploymentStageCommand(ID, 1), new AdvanceDeploymentStageCommand(ID, 2))
                .when(new CompleteDeploymentCommand(ID))
                .expectEvents(completed())
                .expectState(deployment -> assertThat(deployment).extracting("status").isEqualTo(DeploymentStatus.Completed));
    }

    @Test
    void aPausedAndPromotedPlanCompletesWhenDrivenByCommands() {
        fixture.given(STARTED)
                .andGivenCommands(new ActivateDeploymentCommand(ID), new AdvanceDeploymentStageCommand(ID, 0),
                        new PauseDeploymentCommand(ID, "alice"), new ResumeDeploymentCommand(ID, "alice"),
                        new PromoteDeploymentCommand(ID, "bob"))
                .when(new CompleteDeploymentCommand(ID))
                .expectEvents(completed())
                .expectState(deployment -> assertThat(deployment).extracting("status").isEqualTo(DeploymentStatus.Completed));
    }

    // --- abort ---

    @Test
    void abortingAQueuedDeploymentFailsItAtOnce() {
        fixture.given(STARTED)
                .when(new AbortDeploymentCommand(ID, "wrong config", "carol"))
                .expectEvents(new DeploymentAborted(ID, TENANT, ABORT_REASON, "carol", PREVIOUS),
                        new DeploymentFailed(ID, TENANT, ABORT_REASON))
                .expectResultMessagePayload(DeploymentStatus.Failed);
    }

    @Test
    void abortingBeforeAnyStageFailsItAtOnce() {
        fixture.given(STARTED, ACTIVATED)
                .when(new AbortDeploymentCommand(ID, "wrong config", "carol"))
                .expectEvents(new DeploymentAborted(ID, TENANT, ABORT_REASON, "carol", PREVIOUS),
                        new DeploymentFailed(ID, TENANT, ABORT_REASON))
                .expectResultMessagePayload(DeploymentStatus.Failed);
    }

    @Test
    void abortingAfterAStageWaitsForTheNewInstancesToGo() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new AbortDeploymentCommand(ID, "wrong config", "carol"))
                .expectEvents(aborted())
                .expectResultMessagePayload(DeploymentStatus.RollingBack);
    }

    @Test
    void abortingAPausedDeploymentAfterAStageWaitsForTheNewInstancesToGo() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, PAUSED)
                .when(new AbortDeploymentCommand(ID, "wrong config", "carol"))
                .expectEvents(aborted())
                .expectResultMessagePayload(DeploymentStatus.RollingBack);
    }

    @Test
    void confirmingTheRollbackOfAnAbortedDeploymentFailsItWithTheAbortReason() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, aborted())
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectEvents(new DeploymentFailed(ID, TENANT, ABORT_REASON))
                .expectState(deployment -> assertThat(deployment).extracting("status").isEqualTo(DeploymentStatus.Failed));
    }

    @Test
    void abortAndConfirmationDrivenByCommandsEndFailed() {
        fixture.given(STARTED)
                .andGivenCommands(new ActivateDeploymentCommand(ID), new AdvanceDeploymentStageCommand(ID, 0),
                        new AbortDeploymentCommand(ID, "wrong config", "carol"))
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectEvents(new DeploymentFailed(ID, TENANT, ABORT_REASON))
                .expectState(deployment -> assertThat(deployment).extracting("status").isEqualTo(DeploymentStatus.Failed));
    }

    @Test
    void confirmingAfterAnAbortThatFailedAtOnceIsANoOp() {
        fixture.given(STARTED, aborted(), new DeploymentFailed(ID, TENANT, ABORT_REASON))
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToAbortACompletedDeployment() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new AbortDeploymentCommand(ID, "too late", "carol"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Completed")))
                .expectNoEvents();
    }

    @Test
    void refusesToAbortADeploymentThatIsRollingBack() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted())
                .when(new AbortDeploymentCommand(ID, "again", "carol"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RollingBack")))
                .expectNoEvents();
    }

    @Test
    void refusesToAbortAFailedDeployment() {
        fixture.given(STARTED, aborted(), new DeploymentFailed(ID, TENANT, ABORT_REASON))
                .when(new AbortDeploymentCommand(ID, "again", "carol"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Failed")))
                .expectNoEvents();
    }

    @Test
    void refusesToRollBackADeploymentBeingAborted() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, aborted())
                .when(new RollbackDeploymentCommand(ID, "error rate", "alice", false, false))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RollingBack")))
                .expectNoEvents();
    }

    // --- rollback ---

    @Test
    void rollbackOfAQueuedDeploymentFinishesAtOnce() {
        fixture.given(STARTED)
                .when(new RollbackDeploymentCommand(ID, "changed my mind", "alice", false, false))
                .expectEvents(
                        rollbackStarted("changed my mind", "alice", false, PREVIOUS),
                        new DeploymentRolledBack(ID, TENANT, PREVIOUS))
                .expectResultMessagePayload(DeploymentStatus.RolledBack);
    }

    @Test
    void rollbackBeforeAnyStageFinishesAtOnce() {
        fixture.given(STARTED, ACTIVATED)
                .when(new RollbackDeploymentCommand(ID, "changed my mind", "alice", false, false))
                .expectEvents(
                        rollbackStarted("changed my mind", "alice", false, PREVIOUS),
                        new DeploymentRolledBack(ID, TENANT, PREVIOUS))
                .expectResultMessagePayload(DeploymentStatus.RolledBack);
    }

    @Test
    void rollbackOfAFirstInstallTargetsNoVersion() {
        DeploymentStarted firstInstall = new DeploymentStarted(ID, TENANT, PLUGIN, VERSION, ENV, Map.of(), PLAN, 10,
                null, null);

        fixture.given(firstInstall, ACTIVATED)
                .when(new RollbackDeploymentCommand(ID, "unhealthy", "system", true, false))
                .expectEvents(rollbackStarted("unhealthy", "system", true, null),
                        new DeploymentRolledBack(ID, TENANT, null))
                .expectResultMessagePayload(DeploymentStatus.RolledBack);
    }

    @Test
    void rollbackAfterAStageWaitsForTheRuntimeToConfirm() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new RollbackDeploymentCommand(ID, "error rate", "alice", false, false))
                .expectEvents(rollbackStarted("error rate", "alice", false, PREVIOUS))
                .expectResultMessagePayload(DeploymentStatus.RollingBack);
    }

    @Test
    void aPausedDeploymentCanBeRolledBack() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, PAUSED)
                .when(new RollbackDeploymentCommand(ID, "error rate", "alice", false, false))
                .expectEvents(rollbackStarted("error rate", "alice", false, PREVIOUS))
                .expectResultMessagePayload(DeploymentStatus.RollingBack);
    }

    @Test
    void rollingBackADeploymentInProgressDoesNotConsultTheGuard() {
        guard.refuseWith(dependencyInUse());

        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new RollbackDeploymentCommand(ID, "error rate", "alice", false, false))
                .expectSuccessfulHandlerExecution()
                .expectEvents(rollbackStarted("error rate", "alice", false, PREVIOUS));

        assertThat(guard.calls).isEmpty();
    }

    @Test
    void rollingBackACompletedDeploymentConsultsTheGuard() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new RollbackDeploymentCommand(ID, "regression", "bob", false, false))
                .expectEvents(rollbackStarted("regression", "bob", false, PREVIOUS))
                .expectResultMessagePayload(DeploymentStatus.RollingBack);

        assertThat(guard.calls).containsExactly(TENANT + "/" + ID);
    }

    @Test
    void aGuardRefusalStopsTheRollbackOfACompletedDeploymentWithoutEvents() {
        guard.refuseWith(dependencyInUse());

        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new RollbackDeploymentCommand(ID, "regression", "bob", false, false))
                .expectException(conflict("dependency-in-use", Map.of("dependents", List.of("billing 3.1.0"))))
                .expectNoEvents();

        assertThat(guard.calls).containsExactly(TENANT + "/" + ID);
    }

    @Test
    void confirmingARollbackFinishesIt() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted())
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectEvents(rolledBack());
    }

    @Test
    void rollbackAndConfirmationDrivenByCommandsEndRolledBack() {
        fixture.given(STARTED)
                .andGivenCommands(new ActivateDeploymentCommand(ID), new AdvanceDeploymentStageCommand(ID, 0),
                        new RollbackDeploymentCommand(ID, "error rate", "alice", false, false))
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectEvents(rolledBack())
                .expectState(deployment -> assertThat(deployment).extracting("status").isEqualTo(DeploymentStatus.RolledBack));
    }

    @Test
    void confirmingARolledBackCompletedDeploymentRestoresThePreviousVersion() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed(),
                        rollbackStarted("regression", "bob", false, PREVIOUS))
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectEvents(new DeploymentRolledBack(ID, TENANT, PREVIOUS));
    }

    @Test
    void confirmingAFinishedRollbackAgainIsANoOp() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted(), rolledBack())
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToConfirmARollbackThatWasNeverStarted() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "InProgress")))
                .expectNoEvents();
    }

    @Test
    void refusesToRollBackARolledBackDeployment() {
        fixture.given(STARTED, rollbackStarted(), rolledBack())
                .when(new RollbackDeploymentCommand(ID, "again", "alice", false, false))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RolledBack")))
                .expectNoEvents();
    }

    @Test
    void refusesToRollBackAFailedDeployment() {
        fixture.given(STARTED, aborted(), new DeploymentFailed(ID, TENANT, ABORT_REASON))
                .when(new RollbackDeploymentCommand(ID, "again", "alice", false, false))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "Failed")))
                .expectNoEvents();
    }

    @Test
    void refusesASecondRollbackWhileOneIsUnderWay() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted())
                .when(new RollbackDeploymentCommand(ID, "again", "alice", false, false))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RollingBack")))
                .expectNoEvents();
    }

    // --- giving up on a rollback ---

    @Test
    void failingARollbackTheRuntimeNeverConfirmedEndsFailedWithTheReason() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted())
                .when(new FailDeploymentCommand(ID, "rollback not confirmed within 600s"))
                .expectEvents(new DeploymentFailed(ID, TENANT, "rollback not confirmed within 600s"))
                .expectState(deployment -> assertThat(deployment).extracting("status")
                        .isEqualTo(DeploymentStatus.Failed));
    }

    @Test
    void failingAnAbortThatWasNeverConfirmedEndsFailed() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, aborted())
                .when(new FailDeploymentCommand(ID, "rollback not confirmed within 600s"))
                .expectEvents(new DeploymentFailed(ID, TENANT, "rollback not confirmed within 600s"));
    }

    @Test
    void failingAFinishedDeploymentIsANoOp() {
        fixture.given(STARTED, ACTIVATED, STAGE_0, rollbackStarted(), rolledBack())
                .when(new FailDeploymentCommand(ID, "late"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToFailADeploymentThatIsNotRollingBack() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new FailDeploymentCommand(ID, "why not"))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "InProgress")))
                .expectNoEvents();
    }

    // --- helpers ---

    // --- supervision ---

    @Test
    void aCompletedDeploymentRecordsWhatItsSupervisionSawChange() {
        List<InstanceHealth> seen = List.of(OK_A, SICK_B);
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new RecordDeploymentHealthChangeCommand(ID, OverallHealth.Unhealthy, seen, "Healthy → Unhealthy"))
                .expectEvents(new DeploymentHealthChanged(ID, TENANT, OverallHealth.Unhealthy, seen, "Healthy → Unhealthy"));
    }

    @Test
    void aDeploymentThatIsNotCompletedIgnoresSupervision() {
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new RecordDeploymentHealthChangeCommand(ID, OverallHealth.Unhealthy, List.of(SICK_B), "x"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aDeploymentAnEarlierBuildCompletedIsPutUnderSupervisionOnce() {
        DeploymentSupervisionStarted supervised = new DeploymentSupervisionStarted(ID, TENANT, PLUGIN, VERSION, ENV, 10, PLAN);
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new SuperviseDeploymentCommand(ID))
                .expectEvents(supervised);
        fixture.given(STARTED, ACTIVATED, STAGE_0, STAGE_1, STAGE_2, completed(), supervised)
                .when(new SuperviseDeploymentCommand(ID))
                .expectNoEvents();
        fixture.given(STARTED, ACTIVATED, STAGE_0)
                .when(new SuperviseDeploymentCommand(ID))
                .expectNoEvents();
    }

    private static DeploymentRollbackStarted rollbackStarted() {
        return rollbackStarted("error rate", "alice", false, PREVIOUS);
    }

    private static DeploymentRollbackStarted rollbackStarted(String reason, String requestedBy, boolean automatic,
                                                             String targetVersion) {
        return new DeploymentRollbackStarted(ID, TENANT, PLUGIN, VERSION, ENV, 10, reason, requestedBy, automatic,
                targetVersion, null);
    }

    private static DeploymentRolledBack rolledBack() {
        return new DeploymentRolledBack(ID, TENANT, PREVIOUS);
    }

    private static DeploymentAborted aborted() {
        return new DeploymentAborted(ID, TENANT, ABORT_REASON, "carol", PREVIOUS);
    }

    private static DeploymentCompleted completed() {
        return new DeploymentCompleted(ID, TENANT, PLUGIN, VERSION, ENV);
    }

    private static ConflictException dependencyInUse() {
        return new ConflictException("dependency-in-use", "billing 3.1.0 depends on weather " + VERSION,
                Map.of("dependents", List.of("billing 3.1.0")));
    }

    /** Records every consultation; refuses like {@link TenantRollbackGuard} once told to. */
    static final class RecordingRollbackGuard implements RollbackGuard {

        final List<String> calls = new ArrayList<>();
        private ConflictException refusal;

        void refuseWith(ConflictException refusal) {
            this.refusal = refusal;
        }

        @Override
        public void check(String tenantId, String deploymentId) {
            calls.add(tenantId + "/" + deploymentId);
            if (refusal != null) throw refusal;
        }
    }
}
