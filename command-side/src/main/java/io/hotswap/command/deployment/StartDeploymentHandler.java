package io.hotswap.command.deployment;

import io.hotswap.api.deployment.DeploymentAccepted;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.StartDeploymentCommand;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.tenant.DeploymentQuotaReservation;
import io.hotswap.api.tenant.ReserveDeploymentQuotaCommand;
import io.hotswap.command.plugin.Plugin;
import io.hotswap.command.plugin.PluginVersion;
import io.hotswap.command.tenant.Tenant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

import java.util.Set;


/**
 * Starts a deployment in one transaction across three aggregates: reads the plugin version, reserves the tenant's
 * quota (which also guards one active deployment per plugin and environment, and the plugin's dependencies), and
 * creates the Deployment. Any refusal rolls all of it back, so a refused start leaves no trace. A dry run stops
 * after the checks.
 */
public class StartDeploymentHandler {

    private final Repository<Plugin> plugins;
    private final Repository<Tenant> tenants;
    private final Repository<Deployment> deployments;
    private final DeploymentPlanner planner;
    private final Set<String> runtimeTypes;

    /** @param runtimeTypes the plugin runtime types ({@code jar}, {@code image}) this server's runtime can run */
    public StartDeploymentHandler(Repository<Plugin> plugins, Repository<Tenant> tenants,
                                  Repository<Deployment> deployments, DeploymentPlanner planner, Set<String> runtimeTypes) {
        this.plugins = plugins;
        this.tenants = tenants;
        this.deployments = deployments;
        this.planner = planner;
        this.runtimeTypes = Set.copyOf(runtimeTypes);
    }

    @CommandHandler
    public DeploymentAccepted handle(StartDeploymentCommand command) throws Exception {
        DeploymentPlan plan = planner.plan(command.strategy(), command.strategyConfig(), command.totalInstances());
        PluginVersion version = load(plugins, command.pluginId(), "Plugin")
                .invoke(plugin -> plugin.deployableVersion(command.pluginVersion()));
        String runtimeType = version.metadata().runtime().type();
        if (!runtimeTypes.contains(runtimeType)) {
            throw new ConflictException("runtime-unsupported", "Plugin '" + command.pluginId() + "' "
                    + command.pluginVersion() + " runs as '" + runtimeType + "', but this server's runtime runs "
                    + runtimeTypes + " plugins only");
        }
        ReserveDeploymentQuotaCommand reserve = new ReserveDeploymentQuotaCommand(command.tenantId(),
                command.deploymentId(), command.pluginId(), command.pluginVersion(), command.environment(),
                command.totalInstances(), version.metadata().resources(), plan, version.metadata().dependencies());
        Aggregate<Tenant> tenant = load(tenants, command.tenantId(), "Tenant");
        DeploymentQuotaReservation reservation = command.dryRun()
                ? tenant.invoke(t -> t.check(reserve))
                : tenant.invoke(t -> t.handle(reserve));
        String previous = reservation.previousStableVersion();
        if (!command.dryRun()) {
            deployments.newInstance(() -> new Deployment(command.deploymentId(), command.tenantId(),
                    command.pluginId(), command.pluginVersion(), command.environment(), command.strategyConfig(),
                    plan, command.totalInstances(), previous, reservation.previousStableInstances()));
        }
        return new DeploymentAccepted(command.deploymentId(), command.dryRun() ? null : DeploymentStatus.Queued, plan,
                previous, reservation.reservedCpu(), reservation.reservedMemoryGB());
    }

    private static <T> Aggregate<T> load(Repository<T> repository, String id, String what) {
        try {
            return repository.load(id);
        } catch (AggregateNotFoundException e) {
            throw new NotFoundException(what, id);
        }
    }
}
