package io.hotswap.command.deployment;

import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.error.FieldError;
import io.hotswap.api.error.InvalidInputException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DeploymentPlannerTest {

    private static final int MAX_INSTANCES = 50;
    private static final DeploymentDefaults DEFAULTS =
            new DeploymentDefaults(DeploymentStrategy.Rolling, 15, 3, 900, MAX_INSTANCES);

    private final DeploymentPlanner planner = new DeploymentPlanner(DEFAULTS);

    // --- Canary ---

    @Test
    void canaryStagesBecomeInstanceCountsWithTheStageIntervalBetweenThem() {
        DeploymentPlan plan = planner.plan("Canary", Map.of("stages", "10,30,50,100", "stageInterval", "60"), 10);

        assertThat(plan.strategy()).isEqualTo(DeploymentStrategy.Canary);
        assertThat(plan.steps()).containsExactly(
                new DeploymentStep(10, 1, 60),
                new DeploymentStep(30, 3, 60),
                new DeploymentStep(50, 5, 60),
                new DeploymentStep(100, 10, 0));
    }

    @Test
    void canaryWithoutConfigUsesDefaultStagesAndInterval() {
        DeploymentPlan plan = planner.plan("canary", Map.of(), 10);

        assertThat(plan.steps()).extracting(DeploymentStep::percentage).containsExactly(10, 30, 50, 100);
        assertThat(plan.steps()).extracting(DeploymentStep::instances).containsExactly(1, 3, 5, 10);
        assertThat(plan.steps()).extracting(DeploymentStep::waitSeconds).containsExactly(300, 300, 300, 0);
    }

    @Test
    void canaryRoundsInstancesUpAndStartsAtLeastOne() {
        DeploymentPlan plan = planner.plan("Canary", Map.of("stages", " 1, 25 ,100"), 3);

        assertThat(plan.steps()).extracting(DeploymentStep::instances).containsExactly(1, 1, 3);
        assertThat(plan.steps()).extracting(DeploymentStep::percentage).containsExactly(1, 25, 100);
    }

    @Test
    void canaryWithASingleFullStageHasOneStepWithoutWait() {
        DeploymentPlan plan = planner.plan("Canary", Map.of("stages", "100", "stageInterval", "30"), 4);

        assertThat(plan.steps()).containsExactly(new DeploymentStep(100, 4, 0));
    }

    // --- defaults ---

    @Test
    void usesTheConfiguredDefaultStrategyWhenNoneIsNamed() {
        DeploymentPlan plan = planner.plan(null, Map.of(), 8);

        assertThat(plan.strategy()).isEqualTo(DEFAULTS.strategy());
        // Rolling's default batch is a quarter of the instances
        assertThat(plan.steps()).extracting(DeploymentStep::instances).containsExactly(2, 4, 6, 8);
    }

    @Test
    void healthSettingsFallBackOnTheDefaults() {
        DeploymentPlan plan = planner.plan("Direct", Map.of(), 1);

        assertThat(plan.healthCheckIntervalSeconds()).isEqualTo(15);
        assertThat(plan.failureThreshold()).isEqualTo(3);
        assertThat(plan.progressDeadlineSeconds()).isEqualTo(900);
    }

    @Test
    void healthSettingsFromStrategyConfigOverrideTheDefaults() {
        DeploymentPlan plan = planner.plan("Canary",
                Map.of("healthCheckInterval", "5", "failureThreshold", "7", "progressDeadline", "120"), 10);

        assertThat(plan.healthCheckIntervalSeconds()).isEqualTo(5);
        assertThat(plan.failureThreshold()).isEqualTo(7);
        assertThat(plan.progressDeadlineSeconds()).isEqualTo(120);
    }

    @Test
    void strategyNamesAreCaseInsensitive() {
        assertThat(planner.plan("BLUEGREEN", Map.of(), 2).strategy()).isEqualTo(DeploymentStrategy.BlueGreen);
        assertThat(planner.plan("rolling", Map.of(), 2).strategy()).isEqualTo(DeploymentStrategy.Rolling);
    }

    // --- Rolling, BlueGreen, Direct ---

    @Test
    void rollingMovesBatchSizeInstancesPerStepAndEndsWithTheRemainder() {
        DeploymentPlan plan = planner.plan("Rolling", Map.of("batchSize", "3", "stageInterval", "20"), 10);

        assertThat(plan.strategy()).isEqualTo(DeploymentStrategy.Rolling);
        assertThat(plan.steps()).containsExactly(
                new DeploymentStep(30, 3, 20),
                new DeploymentStep(60, 6, 20),
                new DeploymentStep(90, 9, 20),
                new DeploymentStep(100, 10, 0));
    }

    @Test
    void rollingWithBatchSizeEqualToTheTotalIsOneStep() {
        DeploymentPlan plan = planner.plan("Rolling", Map.of("batchSize", "5"), 5);

        assertThat(plan.steps()).containsExactly(new DeploymentStep(100, 5, 0));
    }

    @Test
    void rollingDefaultsToBatchesOfAQuarterButAtLeastOne() {
        assertThat(planner.plan("Rolling", Map.of(), 3).steps())
                .extracting(DeploymentStep::instances).containsExactly(1, 2, 3);
        assertThat(planner.plan("Rolling", Map.of(), 1).steps())
                .containsExactly(new DeploymentStep(100, 1, 0));
    }

    @Test
    void blueGreenSwitchesAllInstancesInOneStep() {
        DeploymentPlan plan = planner.plan("BlueGreen", Map.of("stageInterval", "45"), 6);

        assertThat(plan.strategy()).isEqualTo(DeploymentStrategy.BlueGreen);
        assertThat(plan.steps()).containsExactly(new DeploymentStep(100, 6, 45));
    }

    @Test
    void directReplacesEverythingAtOnceWithoutWaiting() {
        DeploymentPlan plan = planner.plan("Direct", Map.of(), 7);

        assertThat(plan.strategy()).isEqualTo(DeploymentStrategy.Direct);
        assertThat(plan.steps()).containsExactly(new DeploymentStep(100, 7, 0));
    }

    @Test
    void acceptsTheMaximumInstanceCount() {
        assertThat(planner.plan("Direct", Map.of(), MAX_INSTANCES).steps())
                .containsExactly(new DeploymentStep(100, MAX_INSTANCES, 0));
    }

    // --- refusals ---

    @Test
    void refusesStagesThatAreNotAscending() {
        assertThat(refusedFields(() -> planner.plan("Canary", Map.of("stages", "10,50,30,100"), 10)))
                .containsExactly("strategyConfig.stages");
    }

    @Test
    void refusesRepeatedStages() {
        assertThat(refusedFields(() -> planner.plan("Canary", Map.of("stages", "10,10,100"), 10)))
                .containsExactly("strategyConfig.stages");
    }

    @Test
    void refusesStagesNotEndingAt100() {
        InvalidInputException e = refusal(() -> planner.plan("Canary", Map.of("stages", "10,30,50"), 10));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("strategyConfig.stages");
        assertThat(e.errors().get(0).message()).contains("last stage must be 100");
    }

    @ParameterizedTest(name = "refuses stages \"{0}\"")
    @ValueSource(strings = {"10,thirty,100", "ten", "", "10,,100", "10;30;100", "10.5,100"})
    void refusesNonNumericStages(String stages) {
        InvalidInputException e = refusal(() -> planner.plan("Canary", Map.of("stages", stages), 10));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("strategyConfig.stages");
        assertThat(e.errors().get(0).message()).contains("comma-separated list");
    }

    @ParameterizedTest(name = "refuses stages \"{0}\"")
    @ValueSource(strings = {"0,50,100", "-10,100", "10,101", "50,100,150"})
    void refusesStagesOutside1To100(String stages) {
        InvalidInputException e = refusal(() -> planner.plan("Canary", Map.of("stages", stages), 10));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("strategyConfig.stages");
        assertThat(e.errors().get(0).message()).contains("outside 1..100");
    }

    @Test
    void refusesAnUnknownStrategy() {
        InvalidInputException e = refusal(() -> planner.plan("Shadow", Map.of(), 10));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("strategy");
        assertThat(e.errors().get(0).message()).contains("Shadow");
    }

    @Test
    void refusesAnUnknownStrategyAndABadInstanceCountTogether() {
        assertThat(refusedFields(() -> planner.plan("Shadow", Map.of(), 0)))
                .containsExactlyInAnyOrder("strategy", "totalInstances");
    }

    @Test
    void refusesStrategyConfigKeysTheStrategyDoesNotKnow() {
        assertThat(refusedFields(() -> planner.plan("Canary", Map.of("batchSize", "2", "colour", "blue"), 10)))
                .containsExactlyInAnyOrder("strategyConfig.batchSize", "strategyConfig.colour");
    }

    @Test
    void refusesStagesForRollingAndStageIntervalForDirect() {
        assertThat(refusedFields(() -> planner.plan("Rolling", Map.of("stages", "50,100"), 10)))
                .containsExactly("strategyConfig.stages");
        assertThat(refusedFields(() -> planner.plan("Direct", Map.of("stageInterval", "10"), 10)))
                .containsExactly("strategyConfig.stageInterval");
    }

    @Test
    void refusesZeroInstances() {
        assertThat(refusedFields(() -> planner.plan("Canary", Map.of(), 0))).containsExactly("totalInstances");
    }

    @Test
    void refusesNegativeInstances() {
        assertThat(refusedFields(() -> planner.plan("Direct", Map.of(), -3))).containsExactly("totalInstances");
    }

    @Test
    void refusesMoreInstancesThanTheMaximum() {
        InvalidInputException e = refusal(() -> planner.plan("Rolling", Map.of(), MAX_INSTANCES + 1));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("totalInstances");
        assertThat(e.errors().get(0).message()).contains("between 1 and " + MAX_INSTANCES);
    }

    @ParameterizedTest(name = "refuses failureThreshold \"{0}\"")
    @ValueSource(strings = {"three", "", "3.5", "0", "101"})
    void refusesAFailureThresholdThatIsNotAWholeNumberIn1To100(String threshold) {
        assertThat(refusedFields(() -> planner.plan("Canary", Map.of("failureThreshold", threshold), 10)))
                .containsExactly("strategyConfig.failureThreshold");
    }

    @Test
    void refusesBadHealthAndIntervalSettingsByField() {
        assertThat(refusedFields(() -> planner.plan("Canary", Map.of(
                "stageInterval", "-1", "healthCheckInterval", "0", "progressDeadline", "soon"), 10)))
                .containsExactlyInAnyOrder("strategyConfig.stageInterval", "strategyConfig.healthCheckInterval",
                        "strategyConfig.progressDeadline");
    }

    @Test
    void refusesAnIntervalLongerThanAWeek() {
        assertThat(refusedFields(() -> planner.plan("BlueGreen", Map.of("stageInterval", "604801"), 2)))
                .containsExactly("strategyConfig.stageInterval");
        assertThat(planner.plan("BlueGreen", Map.of("stageInterval", "604800"), 2).steps().get(0).waitSeconds())
                .isEqualTo(604800);
    }

    @ParameterizedTest(name = "refuses batchSize \"{0}\" for 10 instances")
    @ValueSource(strings = {"0", "11", "two"})
    void refusesARollingBatchSizeOutside1ToTheTotal(String batchSize) {
        assertThat(refusedFields(() -> planner.plan("Rolling", Map.of("batchSize", batchSize), 10)))
                .containsExactly("strategyConfig.batchSize");
    }

    @Test
    void namesEveryWrongFieldAtOnce() {
        assertThat(refusedFields(() -> planner.plan("Canary",
                Map.of("stages", "10,5,100", "failureThreshold", "x", "nope", "1"), 0)))
                .containsExactlyInAnyOrder("totalInstances", "strategyConfig.nope", "strategyConfig.failureThreshold",
                        "strategyConfig.stages");
    }

    private static InvalidInputException refusal(ThrowingCallable call) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, call);
        assertThat(e).as("expected an InvalidInputException").isNotNull();
        assertThat(e.problemType()).isEqualTo("invalid-input");
        return e;
    }

    private static List<String> refusedFields(ThrowingCallable call) {
        return refusal(call).errors().stream().map(FieldError::field).toList();
    }
}
