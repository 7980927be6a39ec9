package io.hotswap.sagas.deployment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.api.deployment.FailDeploymentCommand;
import io.hotswap.sagas.deployment.FakePluginRuntime.ScaleCall;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.messaging.Scope;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.SagaScopeDescriptor;
import org.axonframework.test.deadline.StubDeadlineManager;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A saga stored by the first orchestration build, mid-rollback, carries on: that build kept neither the count to
 * restore nor the rollback's start as an instant (it kept {@code leavingSince} from the system clock).
 */
class DeploymentSagaOfAnEarlierBuildTest {

    private static final String ID = "dep-1";
    private static final DeploymentTarget TARGET = new DeploymentTarget("acme", "invoice-export", "production");
    private static final String STORED_ROLLING_BACK = """
            {
              "deploymentId": "dep-1", "tenantId": "acme", "pluginId": "invoice-export", "version": "2.0.0",
              "environment": "production", "previousVersion": "1.0.0", "totalInstances": 10,
              "plan": {
                "strategy": "Canary",
                "steps": [
                  { "percentage": 10, "instances": 1, "waitSeconds": 60 },
                  { "percentage": 100, "instances": 10, "waitSeconds": 0 }
                ],
                "healthCheckIntervalSeconds": 30, "failureThreshold": 3, "progressDeadlineSeconds": 600
              },
              "stage": 0, "paused": false, "stageHealthy": false, "stageWaitOver": false,
              "leaving": true, "restoreVersion": "1.0.0", "leavingSince": 1700000000000
            }""";

    private final FakePluginRuntime runtime = new FakePluginRuntime();
    private final DeploymentRuntime deploymentRuntime = FakePluginVersions.over(runtime);
    private final RecordingCommandBus commandBus = new RecordingCommandBus();
    private final CommandGateway commands = DefaultCommandGateway.builder().commandBus(commandBus).build();
    private final StubDeadlineManager deadlines = new StubDeadlineManager();

    @Test
    void itsRollbackRestoresTheFullSetAndTimesOutCountedFromTheFirstCheckOfThisBuild() throws Exception {
        // as AxonConfig's serializer reads it, fields the saga no longer has are passed over
        DeploymentSaga saga = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(STORED_ROLLING_BACK, DeploymentSaga.class);
        runtime.alreadyRunning(TARGET, "1.0.0", 9);
        runtime.alreadyRunning(TARGET, "2.0.0", 1);
        runtime.lag();
        Instant firstCheck = Instant.parse("2026-11-27T20:00:00Z");

        inSagaScope(() -> saga.checkRollback(ID, firstCheck, deploymentRuntime, deadlines, commands));
        inSagaScope(() -> saga.checkRollback(ID, firstCheck.plus(RollbackConfirmation.TIMEOUT), deploymentRuntime, deadlines,
                commands));
        assertThat(dispatched()).as("not failed at once, although it began long ago").isEmpty();
        assertThat(runtime.scaleCalls()).as("the previous version at the full set, as no count was kept")
                .containsExactly(new ScaleCall(TARGET, "2.0.0", 0), new ScaleCall(TARGET, "1.0.0", 10),
                        new ScaleCall(TARGET, "2.0.0", 0), new ScaleCall(TARGET, "1.0.0", 10));
        assertThat(deadlines.getScheduledDeadlines()).hasSize(2);

        inSagaScope(() -> saga.checkRollback(ID, firstCheck.plus(RollbackConfirmation.TIMEOUT).plusSeconds(1), deploymentRuntime,
                deadlines, commands));
        assertThat(dispatched()).containsExactly(new FailDeploymentCommand(ID,
                "the runtime did not confirm the rollback within 10 minutes; running now: {1.0.0=9, 2.0.0=1}"));
    }

    private List<Object> dispatched() {
        return commandBus.getDispatchedCommands().stream().map(CommandMessage::getPayload).map(Object.class::cast).toList();
    }

    /** Runs a handler in the saga's scope, as Axon does, where the deadlines it schedules find whom they are for. */
    private static void inSagaScope(Runnable handler) throws Exception {
        new Scope() {
            @Override
            public ScopeDescriptor describeScope() {
                return new SagaScopeDescriptor(DeploymentSaga.class.getName(),
                        new AssociationValue(DeploymentSaga.ASSOCIATION, ID));
            }

            void run() throws Exception {
                executeWithResult(() -> {
                    handler.run();
                    return null;
                });
            }
        }.run();
    }
}
