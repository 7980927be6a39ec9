package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.tenant.ReleaseDeploymentQuotaCommand;
import io.hotswap.api.tenant.SettleDeploymentQuotaCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Hands a finished deployment's quota back to its tenant: a rolled-back or failed deployment releases its reservation, a
 * completed one settles it (and so releases the version it replaced). It runs subscribed, in the transaction of the
 * command that ended the deployment (see application.yml), so the tenant never lags behind the deployment. The
 * Tenant treats both as idempotent.
 */
@Component
@ProcessingGroup("tenant-quota-policy")
public class TenantQuotaPolicy {

    private final CommandGateway commands;

    public TenantQuotaPolicy(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentRolledBack event) {
        commands.sendAndWait(new ReleaseDeploymentQuotaCommand(event.tenantId(), event.deploymentId()));
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentFailed event) {
        commands.sendAndWait(new ReleaseDeploymentQuotaCommand(event.tenantId(), event.deploymentId()));
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentCompleted event) {
        commands.sendAndWait(new SettleDeploymentQuotaCommand(event.tenantId(), event.deploymentId()));
    }
}
