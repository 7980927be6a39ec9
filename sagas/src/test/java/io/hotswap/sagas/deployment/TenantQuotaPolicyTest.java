package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.tenant.ReleaseDeploymentQuotaCommand;
import io.hotswap.api.tenant.SettleDeploymentQuotaCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TenantQuotaPolicyTest {

    private final RecordingCommandBus commandBus = new RecordingCommandBus();
    private final TenantQuotaPolicy policy =
            new TenantQuotaPolicy(DefaultCommandGateway.builder().commandBus(commandBus).build());

    @Test
    void aRolledBackDeploymentReleasesItsReservation() {
        policy.on(new DeploymentRolledBack("dep-1", "acme", "1.0.0"));

        assertThat(dispatched()).containsExactly(new ReleaseDeploymentQuotaCommand("acme", "dep-1"));
    }

    @Test
    void aFailedDeploymentReleasesItsReservation() {
        policy.on(new DeploymentFailed("dep-1", "acme", "aborted by alice: not now"));

        assertThat(dispatched()).containsExactly(new ReleaseDeploymentQuotaCommand("acme", "dep-1"));
    }

    @Test
    void aCompletedDeploymentSettlesItsReservation() {
        policy.on(new DeploymentCompleted("dep-1", "acme", "invoice-export", "2.0.0", "production"));

        assertThat(dispatched()).containsExactly(new SettleDeploymentQuotaCommand("acme", "dep-1"));
    }

    @Test
    void aRedeliveredEventSendsTheSameIdempotentCommandAgain() {
        DeploymentRolledBack rolledBack = new DeploymentRolledBack("dep-1", "acme", "1.0.0");
        policy.on(rolledBack);
        policy.on(rolledBack);

        assertThat(dispatched()).containsExactly(
                new ReleaseDeploymentQuotaCommand("acme", "dep-1"), new ReleaseDeploymentQuotaCommand("acme", "dep-1"));
    }

    private List<Object> dispatched() {
        return commandBus.getDispatchedCommands().stream().map(CommandMessage::getPayload).map(Object.class::cast).toList();
    }
}
