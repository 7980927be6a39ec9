package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.ActivateDeploymentCommand;
import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.deployment.DeploymentStarted;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentQueuePolicyTest {

    private static final DeploymentPlan PLAN = new DeploymentPlan(DeploymentStrategy.Direct,
            List.of(new DeploymentStep(100, 2, 0)), 30, 2, 600);
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final InMemoryDeploymentQueue queue = new InMemoryDeploymentQueue();
    private final RecordingCommandBus commandBus = new RecordingCommandBus();
    private DeploymentQueuePolicy policy;

    @BeforeEach
    void setUp() {
        policy = policyAllowing(2);
    }

    @Test
    void aStartedDeploymentIsActivatedAtOnceWhenASlotIsFree() {
        policy.on(started("dep-1", "acme"), T0);

        assertThat(activated()).containsExactly(new ActivateDeploymentCommand("dep-1"));
        assertThat(queue.running()).containsExactly("dep-1");
        assertThat(queue.queuedAt("dep-1")).as("queued at the event's time").isEqualTo(T0);
    }

    @Test
    void deploymentsBeyondTheLimitWaitQueued() {
        policy.on(started("dep-1", "acme"), T0);
        policy.on(started("dep-2", "globex"), T0.plusSeconds(1));
        policy.on(started("dep-3", "initech"), T0.plusSeconds(2));

        assertThat(activated()).containsExactly(
                new ActivateDeploymentCommand("dep-1"), new ActivateDeploymentCommand("dep-2"));
        assertThat(queue.waiting()).containsExactly("dep-3");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Completed", "RolledBack", "Failed"})
    void theNextQueuedDeploymentIsActivatedWhenARunningOneFinishes(String outcome) {
        policy = policyAllowing(1);
        policy.on(started("dep-1", "acme"), T0);
        policy.on(started("dep-2", "globex"), T0.plusSeconds(1));
        commandBus.clearCommands();

        finish("dep-1", "acme", outcome);

        assertThat(activated()).containsExactly(new ActivateDeploymentCommand("dep-2"));
        assertThat(queue.finished()).containsExactly("dep-1");
        assertThat(queue.running()).containsExactly("dep-2");
    }

    @Test
    void aQueuedDeploymentThatEndsBeforeItsTurnFreesNoSlot() {
        policy = policyAllowing(1);
        policy.on(started("dep-1", "acme"), T0);
        policy.on(started("dep-2", "acme"), T0.plusSeconds(1));
        policy.on(started("dep-3", "globex"), T0.plusSeconds(2));
        commandBus.clearCommands();

        policy.on(new DeploymentFailed("dep-2", "acme", "aborted by alice: not now")); // aborted while queued

        assertThat(activated()).isEmpty();
        assertThat(queue.running()).containsExactly("dep-1");
        assertThat(queue.waiting()).containsExactly("dep-3");
    }

    @Test
    void everyFreedSlotIsFilledWhenSeveralFinish() {
        policy = policyAllowing(2);
        for (int i = 1; i <= 4; i++) policy.on(started("dep-" + i, "tenant-" + i), T0.plusSeconds(i));
        commandBus.clearCommands();

        policy.on(new DeploymentCompleted("dep-1", "tenant-1", "invoice-export", "2.0.0", "production"));
        policy.on(new DeploymentRolledBack("dep-2", "tenant-2", "1.0.0"));

        assertThat(activated()).containsExactly(
                new ActivateDeploymentCommand("dep-3"), new ActivateDeploymentCommand("dep-4"));
    }

    @Test
    void finishingWithNothingQueuedActivatesNothing() {
        policy.on(started("dep-1", "acme"), T0);
        commandBus.clearCommands();

        policy.on(new DeploymentCompleted("dep-1", "acme", "invoice-export", "2.0.0", "production"));

        assertThat(activated()).isEmpty();
        assertThat(queue.running()).isEmpty();
    }

    @Test
    void theRollbackOfAnAlreadyCompletedDeploymentActivatesNothingExtra() {
        policy = policyAllowing(1);
        policy.on(started("dep-1", "acme"), T0);
        policy.on(new DeploymentCompleted("dep-1", "acme", "invoice-export", "2.0.0", "production"));
        policy.on(started("dep-2", "acme"), T0.plusSeconds(5));
        policy.on(started("dep-3", "globex"), T0.plusSeconds(6));
        commandBus.clearCommands();

        policy.on(new DeploymentRolledBack("dep-1", "acme", "1.0.0")); // dep-1's slot was freed at completion

        assertThat(activated()).isEmpty();
        assertThat(queue.running()).containsExactly("dep-2");
    }

    private DeploymentQueuePolicy policyAllowing(int maxConcurrent) {
        return new DeploymentQueuePolicy(queue, DefaultCommandGateway.builder().commandBus(commandBus).build(),
                maxConcurrent);
    }

    private void finish(String deploymentId, String tenantId, String outcome) {
        switch (outcome) {
            case "Completed" -> policy.on(new DeploymentCompleted(deploymentId, tenantId, "invoice-export", "2.0.0",
                    "production"));
            case "RolledBack" -> policy.on(new DeploymentRolledBack(deploymentId, tenantId, "1.0.0"));
            case "Failed" -> policy.on(new DeploymentFailed(deploymentId, tenantId, "rollback not confirmed"));
            default -> throw new IllegalArgumentException(outcome);
        }
    }

    private List<Object> activated() {
        return commandBus.getDispatchedCommands().stream().map(CommandMessage::getPayload).map(Object.class::cast).toList();
    }

    private static DeploymentStarted started(String deploymentId, String tenantId) {
        return new DeploymentStarted(deploymentId, tenantId, "invoice-export", "2.0.0", "production", Map.of(), PLAN,
                2, "1.0.0", null);
    }
}
