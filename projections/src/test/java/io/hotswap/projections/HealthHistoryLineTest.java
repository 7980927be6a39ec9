package io.hotswap.projections;

import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthHistoryLineTest {

    @Test
    void namesTheFailedInstances() {
        assertThat(DeploymentProjection.describe(check(false, 2, new InstanceHealth("i-1", "2.0.0", InstanceState.Unhealthy, "HTTP 500"),
                new InstanceHealth("i-2", "2.0.0", InstanceState.Healthy, null))))
                .isEqualTo("unhealthy, 2 in a row: i-1 Unhealthy (HTTP 500)");
    }

    @Test
    void saysWhatItWaitsForWhenNothingFailed() {
        assertThat(DeploymentProjection.describe(check(false, 0, new InstanceHealth("i-1", "2.0.0", InstanceState.Starting, null),
                new InstanceHealth("i-2", "2.0.0", InstanceState.Healthy, null))))
                .isEqualTo("not healthy yet: 1 of 2 instances still starting");
        assertThat(DeploymentProjection.describe(check(false, 0))).isEqualTo("not healthy yet: no instances running");
    }

    @Test
    void countsTheHealthyOnes() {
        assertThat(DeploymentProjection.describe(check(true, 0, new InstanceHealth("i-1", "2.0.0", InstanceState.Healthy, null))))
                .isEqualTo("healthy (1 instances)");
    }

    private static HealthCheckRecorded check(boolean healthy, int failures, InstanceHealth... instances) {
        return new HealthCheckRecorded("d-1", "tenant-a", List.of(instances), healthy, failures);
    }
}
