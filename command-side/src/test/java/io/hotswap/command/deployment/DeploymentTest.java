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
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.RecordHealthCheckCommand;
import io.hotswap.api.deployment.RollbackDeploymentCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
            Map.of("stages", "10,50,100", "stageInterval", "60"), PLAN, 10, PREVIOUS);
    private static final DeploymentStageAdvanced STAGE_0 = new DeploymentStageAdvanced(ID, TENANT, 0, 10, 1);
    private static final DeploymentStageAdvanced STAGE_1 = new DeploymentStageAdvanced(ID, TENANT, 1, 50, 5);
    private static final DeploymentStageAdvanced STAGE_2 = new DeploymentStageAdvanced(ID, TENANT, 2, 100, 10);

    private static final InstanceHealth OK_A = new InstanceHealth("i-a", VERSION, true, true, null);
    private static final InstanceHealth OK_B = new InstanceHealth("i-b", VERSION, true, true, null);
    private static final InstanceHealth SICK_B = new InstanceHealth("i-b", VERSION, true, false, "HTTP 503");
    private static final InstanceHealth STARTING_B = new InstanceHealth("i-b", VERSION, false, true, "not ready");

    private FixtureConfiguration<Deployment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Deployment.class);
    }

    // --- creation ---

    @Test
    void theCreatingConstructorAppliesDeploymentStarted() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> new Deployment(ID, TENANT, PLUGIN, VERSION, ENV, STARTED.strategyConfig(),
                        PLAN, 10, PREVIOUS))
                .expectEvents(STARTED);
    }

    // --- stages ---

    @Test
    void advancingToTheFirstStageEmitsItsPercentageAndInstances() {
        fixture.given(STARTED)
                .when(new AdvanceDeploymentStageCommand(ID, 0))
                .expectEvents(STAGE_0);
    }

    @Test
    void advancesStageByStage() {
        fixture.given(STARTED, STAGE_0)
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectEvents(STAGE_1);
    }

    @Test
    void repeatingTheCurrentStageChangesNothing() {
        fixture.given(STARTED, STAGE_0)
                .when(new AdvanceDeploymentStageCommand(ID, 0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToSkipAStage() {
        fixture.given(STARTED, STAGE_0)
                .when(new AdvanceDeploymentStageCommand(ID, 2))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesToSkipTheFirstStage() {
        fixture.given(STARTED)
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesToGoBackAStage() {
        fixture.given(STARTED, STAGE_0, STAGE_1)
                .when(new AdvanceDeploymentStageCommand(ID, 0))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesAStageBeyondThePlan() {
        fixture.given(STARTED, STAGE_0, STAGE_1, STAGE_2)
                .when(new AdvanceDeploymentStageCommand(ID, 3))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesToAdvanceADeploymentThatIsRollingBack() {
        fixture.given(STARTED, STAGE_0, rollbackStarted())
                .when(new AdvanceDeploymentStageCommand(ID, 1))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RollingBack")))
                .expectNoEvents();
    }

    // --- health ---

    @Test
    void aCheckWithAllInstancesReadyAndHealthyIsHealthy() {
        fixture.given(STARTED, STAGE_0)
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, OK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, OK_B), true, 0));
    }

    @Test
    void aCheckWithOneUnhealthyInstanceIsUnhealthyAndCountsAFailure() {
        fixture.given(STARTED, STAGE_0)
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, SICK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, SICK_B), false, 1));
    }

    @Test
    void consecutiveFailuresCountUpAcrossChecks() {
        fixture.given(STARTED, STAGE_0)
                .andGivenCommands(new RecordHealthCheckCommand(ID, List.of(OK_A, SICK_B)))
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, SICK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, SICK_B), false, 2));
    }

    @Test
    void aHealthyCheckResetsTheFailureCount() {
        fixture.given(STARTED, STAGE_0,
                        new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 1),
                        new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 2))
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, OK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, OK_B), true, 0));
    }

    @Test
    void anInstanceThatIsNotReadyMakesTheCheckUnhealthy() {
        fixture.given(STARTED, STAGE_0)
                .when(new RecordHealthCheckCommand(ID, List.of(OK_A, STARTING_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(OK_A, STARTING_B), false, 1));
    }

    @Test
    void aCheckWithoutInstancesIsUnhealthy() {
        fixture.given(STARTED, STAGE_0)
                .when(new RecordHealthCheckCommand(ID, List.of()))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(), false, 1));
    }

    @Test
    void checksAreStillRecordedWhileRollingBack() {
        fixture.given(STARTED, STAGE_0, rollbackStarted())
                .when(new RecordHealthCheckCommand(ID, List.of(SICK_B)))
                .expectEvents(new HealthCheckRecorded(ID, TENANT, List.of(SICK_B), false, 1));
    }

    @Test
    void aLateCheckAfterTheEndIsIgnored() {
        fixture.given(STARTED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new RecordHealthCheckCommand(ID, List.of(SICK_B)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // --- completion ---

    @Test
    void completesAfterTheLastStage() {
        fixture.given(STARTED, STAGE_0, STAGE_1, STAGE_2)
                .when(new CompleteDeploymentCommand(ID))
                .expectEvents(completed());
    }

    @Test
    void refusesToCompleteBeforeTheLastStage() {
        fixture.given(STARTED, STAGE_0, STAGE_1)
                .when(new CompleteDeploymentCommand(ID))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void refusesToCompleteBeforeAnyStage() {
        fixture.given(STARTED)
                .when(new CompleteDeploymentCommand(ID))
                .expectException(conflict("invalid-stage"))
                .expectNoEvents();
    }

    @Test
    void completingTwiceIsANoOp() {
        fixture.given(STARTED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new CompleteDeploymentCommand(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToCompleteARolledBackDeployment() {
        fixture.given(STARTED, STAGE_0, STAGE_1, STAGE_2, rollbackStarted(), rolledBack())
                .when(new CompleteDeploymentCommand(ID))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RolledBack")))
                .expectNoEvents();
    }

    @Test
    void aWholePlanRunsToCompletionWhenDrivenByCommands() {
        fixture.given(STARTED)
                .andGivenCommands(new AdvanceDeploymentStageCommand(ID, 0), new AdvanceDeploymentStageCommand(ID, 1),
                        new AdvanceDeploymentStageCommand(ID, 2))
                .when(new CompleteDeploymentCommand(ID))
                .expectEvents(completed());
    }

    // --- rollback ---

    @Test
    void rollbackBeforeAnyStageFinishesAtOnce() {
        fixture.given(STARTED)
                .when(new RollbackDeploymentCommand(ID, "changed my mind", "alice", false))
                .expectEvents(
                        new DeploymentRollbackStarted(ID, TENANT, "changed my mind", "alice", false, PREVIOUS),
                        new DeploymentRolledBack(ID, TENANT, PREVIOUS))
                .expectResultMessagePayload(DeploymentStatus.RolledBack);
    }

    @Test
    void rollbackOfAFirstInstallTargetsNoVersion() {
        DeploymentStarted firstInstall = new DeploymentStarted(ID, TENANT, PLUGIN, VERSION, ENV, Map.of(), PLAN, 10,
                null);

        fixture.given(firstInstall)
                .when(new RollbackDeploymentCommand(ID, "unhealthy", "system", true))
                .expectEvents(new DeploymentRollbackStarted(ID, TENANT, "unhealthy", "system", true, null),
                        new DeploymentRolledBack(ID, TENANT, null))
                .expectResultMessagePayload(DeploymentStatus.RolledBack);
    }

    @Test
    void rollbackAfterAStageWaitsForTheRuntimeToConfirm() {
        fixture.given(STARTED, STAGE_0)
                .when(new RollbackDeploymentCommand(ID, "error rate", "alice", false))
                .expectEvents(new DeploymentRollbackStarted(ID, TENANT, "error rate", "alice", false, PREVIOUS))
                .expectResultMessagePayload(DeploymentStatus.RollingBack);
    }

    @Test
    void confirmingARollbackFinishesIt() {
        fixture.given(STARTED, STAGE_0, rollbackStarted())
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectEvents(rolledBack());
    }

    @Test
    void rollbackAndConfirmationDrivenByCommandsEndRolledBack() {
        fixture.given(STARTED)
                .andGivenCommands(new AdvanceDeploymentStageCommand(ID, 0),
                        new RollbackDeploymentCommand(ID, "error rate", "alice", false))
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectEvents(rolledBack())
                .expectState(deployment -> assertThat(deployment).extracting("status")
                        .isEqualTo(DeploymentStatus.RolledBack));
    }

    @Test
    void confirmingAFinishedRollbackAgainIsANoOp() {
        fixture.given(STARTED, STAGE_0, rollbackStarted(), rolledBack())
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToConfirmARollbackThatWasNeverStarted() {
        fixture.given(STARTED, STAGE_0)
                .when(new ConfirmDeploymentRollbackCommand(ID))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "InProgress")))
                .expectNoEvents();
    }

    @Test
    void refusesToRollBackARolledBackDeployment() {
        fixture.given(STARTED, rollbackStarted(), rolledBack())
                .when(new RollbackDeploymentCommand(ID, "again", "alice", false))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RolledBack")))
                .expectNoEvents();
    }

    @Test
    void refusesASecondRollbackWhileOneIsUnderWay() {
        fixture.given(STARTED, STAGE_0, rollbackStarted())
                .when(new RollbackDeploymentCommand(ID, "again", "alice", false))
                .expectException(conflict("invalid-deployment-status", Map.of("status", "RollingBack")))
                .expectNoEvents();
    }

    @Test
    void aCompletedDeploymentCanBeRolledBack() {
        fixture.given(STARTED, STAGE_0, STAGE_1, STAGE_2, completed())
                .when(new RollbackDeploymentCommand(ID, "regression", "bob", false))
                .expectEvents(new DeploymentRollbackStarted(ID, TENANT, "regression", "bob", false, PREVIOUS))
                .expectResultMessagePayload(DeploymentStatus.RollingBack);
    }

    // --- helpers ---

    private static DeploymentRollbackStarted rollbackStarted() {
        return new DeploymentRollbackStarted(ID, TENANT, "error rate", "alice", false, PREVIOUS);
    }

    private static DeploymentRolledBack rolledBack() {
        return new DeploymentRolledBack(ID, TENANT, PREVIOUS);
    }

    private static DeploymentCompleted completed() {
        return new DeploymentCompleted(ID, TENANT, PLUGIN, VERSION, ENV);
    }
}
