package io.hotswap.ops.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.sagas.deployment.DeploymentSaga;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Running sagas are stored as JSON ({@code saga_entry}) by the serializer this configuration gives Axon, and carry on
 * in the next build: however {@link DeploymentSaga} is arranged inside, it must read what an earlier build wrote and
 * write the same back.
 */
class DeploymentSagaJsonTest {

    /** A saga with every field set, as the build before the saga was split by concern wrote it. */
    private static final String STORED = """
            {
              "deploymentId": "dep-1",
              "tenantId": "acme",
              "pluginId": "invoice-export",
              "version": "2.0.0",
              "environment": "production",
              "previousVersion": "1.0.0",
              "previousInstances": 6,
              "totalInstances": 10,
              "plan": {
                "strategy": "Canary",
                "steps": [
                  { "percentage": 10, "instances": 1, "waitSeconds": 300 },
                  { "percentage": 100, "instances": 10, "waitSeconds": 0 }
                ],
                "healthCheckIntervalSeconds": 30,
                "failureThreshold": 3,
                "progressDeadlineSeconds": 600
              },
              "stage": 1,
              "paused": true,
              "stageHealthy": true,
              "stageWaitOver": true,
              "leaving": true,
              "restoreVersion": "1.0.0",
              "restoreInstances": 6,
              "leavingAt": "2026-11-27T20:15:30.123Z",
              "healthCheckRound": 42,
              "completed": true,
              "handedOver": true,
              "supervisedHealth": "CrashLooping",
              "restartsSeen": { "i-1": 2 },
              "checksNotAnswered": { "i-2": 1 }
            }""";

    private final Serializer serializer = new AxonConfig().serializer();

    @Test
    void aStoredDeploymentSagaReadsAndWritesBackTheSameJson() throws Exception {
        DeploymentSaga saga = serializer.deserialize(
                new SimpleSerializedObject<>(STORED, String.class, DeploymentSaga.class.getName(), null));

        String written = serializer.serialize(saga, String.class).getData();

        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(written)).isEqualTo(json.readTree(STORED));
    }
}
