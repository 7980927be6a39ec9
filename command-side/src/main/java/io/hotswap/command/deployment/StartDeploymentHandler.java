package io.hotswap.command.deployment;

import io.hotswap.api.deployment.DeploymentAccepted;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.StartDeploymentCommand;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.tenant.DeploymentQuotaReservation;
import io.hotswap.api.tenant.ReserveDeploymentQuotaCommand;
import io.hotswap.command.plugin.Plugin;
import io.hotswap.command.plugin.PluginVersion;
import io.hotswap.command.tenant.Tenant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

import java.util.function.Supplier;

/**
 * Starts a deployment in one transaction across three aggregates: reads the plugin version, reserves the tenant's
 * quota (which also guards one active deployment per plugin and environment), and creates the Deployment. Any
 * refusal rolls all of it back, so a refused start leaves no trace.
 */
public class StartDeploymentHandler {

    private final Repository<Plugin> plugins;
    private final Repository<Tenant> tenants;
    private final Repository<Deployment> deployments;
    private final DeploymentPlanner planner;

    public StartDeploymentHandler(Repository<Plugin> plugins, Repository<Tenant> tenants,
                                  Repository<Deployment> deployments, DeploymentPlanner planner) {
        this.plugins = plugins;
        this.tenants = tenants;
        this.deployments = deployments;
        this.planner = planner;
    }

    @CommandHandler
    public DeploymentAccepted handle(StartDeploymentCommand command) throws Exception {
        DeploymentPlan plan = planner.plan(command.strategy(), command.strategyConfig(), command.totalInstances());
        PluginVersion version = load(plugins, command.pluginId(), "Plugin")
                .invoke(plugin -> plugin.deployableVersion(command.pluginVersion()));
        PluginResources perInstance = version.metadata().resources();
        DeploymentQuotaReservation reservation = load(tenants, command.tenantId(), "Tenant")
                .invoke(tenant -> tenant.handle(new ReserveDeploymentQuotaCommand(command.tenantId(),
                        command.deploymentId(), command.pluginId(), command.pluginVersion(), command.environment(),
                        perInstance.cpu() * command.totalInstances(),
                        perInstance.memoryMB() * command.totalInstances() / 1024.0)));
        Supplier<Deployment> creation = () -> new Deployment(command.deploymentId(), command.tenantId(),
                command.pluginId(), command.pluginVersion(), command.environment(), command.strategyConfig(), plan,
                command.totalInstances(), reservation.previousStableVersion());
        deployments.newInstance(creation::get);
        return new DeploymentAccepted(command.deploymentId(), DeploymentStatus.InProgress, plan,
                reservation.previousStableVersion());
    }

    private static <T> Aggregate<T> load(Repository<T> repository, String id, String what) {
        try {
            return repository.load(id);
        } catch (AggregateNotFoundException e) {
            throw new NotFoundException(what, id);
        }
    }
}
