package io.hotswap.command.tenant;

import io.hotswap.api.error.ConflictException;
import io.hotswap.api.tenant.CreateTenantCommand;
import io.hotswap.api.tenant.DeploymentQuotaReservation;
import io.hotswap.api.tenant.ReleaseDeploymentQuotaCommand;
import io.hotswap.api.tenant.ReserveDeploymentQuotaCommand;
import io.hotswap.api.tenant.SettleDeploymentQuotaCommand;
import io.hotswap.api.tenant.TenantCreated;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaReserved;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.api.tenant.TenantStatus;
import io.hotswap.api.tenant.TenantUsage;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tenant and its quota accounting. It is the consistency boundary for two rules: reservations never exceed the
 * quotas, and at most one deployment per (plugin, environment) is in flight.
 */
@Aggregate
public class Tenant {

    private static final double EPSILON = 1e-9;

    @AggregateIdentifier
    private String tenantId;
    private TenantStatus status;
    private TenantQuotas quotas;
    private final Map<String, Reservation> reservations = new LinkedHashMap<>();

    protected Tenant() {
        // for Axon
    }

    @CommandHandler
    public Tenant(CreateTenantCommand command, TenantDirectory directory) {
        directory.claim(command.tenantId(), command.namespace());
        apply(new TenantCreated(command.tenantId(), command.name(), command.namespace(), command.quotas()));
    }

    @CommandHandler
    public DeploymentQuotaReservation handle(ReserveDeploymentQuotaCommand command) {
        if (status != TenantStatus.Active) {
            throw new ConflictException("tenant-not-active", "Tenant '" + tenantId + "' is " + status
                    + " and takes no deployments");
        }
        Optional<Reservation> inFlight = reservations.values().stream()
                .filter(r -> !r.settled() && r.sameSlot(command.pluginId(), command.environment())).findFirst();
        if (inFlight.isPresent()) {
            String active = inFlight.get().deploymentId();
            throw new ConflictException("deployment-in-progress", "Deployment " + active + " of plugin '"
                    + command.pluginId() + "' to " + command.environment() + " in tenant '" + tenantId
                    + "' is still active; wait for it to finish or roll it back",
                    Map.of("activeDeploymentId", active));
        }
        TenantUsage after = usageWith(command.pluginId(), command.cpu(), command.memoryGB());
        refuseIfOver("maxPlugins", after.plugins(), quotas.maxPlugins(), "plugins");
        refuseIfOver("maxCpu", after.cpu(), quotas.maxCpu(), "CPU cores");
        refuseIfOver("maxMemoryGB", after.memoryGB(), quotas.maxMemoryGB(), "GB of memory");
        String previousStable = reservations.values().stream()
                .filter(r -> r.settled() && r.sameSlot(command.pluginId(), command.environment()))
                .map(Reservation::pluginVersion).findFirst().orElse(null);
        apply(new TenantQuotaReserved(tenantId, command.deploymentId(), command.pluginId(), command.pluginVersion(),
                command.environment(), command.cpu(), command.memoryGB(), after));
        return new DeploymentQuotaReservation(command.deploymentId(), previousStable);
    }

    @CommandHandler
    public void handle(ReleaseDeploymentQuotaCommand command) {
        release(command.deploymentId());
    }

    @CommandHandler
    public void handle(SettleDeploymentQuotaCommand command) {
        Reservation settling = reservations.get(command.deploymentId());
        if (settling == null || settling.settled()) return; // already settled, or released: nothing to do
        reservations.values().stream()
                .filter(r -> r.settled() && r.sameSlot(settling.pluginId(), settling.environment()))
                .map(Reservation::deploymentId).toList()
                .forEach(this::release); // the version it replaced no longer runs
        apply(new TenantQuotaSettled(tenantId, settling.deploymentId(), settling.pluginId(),
                settling.pluginVersion(), settling.environment()));
    }

    private void release(String deploymentId) {
        Reservation held = reservations.get(deploymentId);
        if (held == null) return; // releasing twice is harmless: events may be redelivered
        TenantUsage without = usageWithout(deploymentId);
        apply(new TenantQuotaReleased(tenantId, deploymentId, held.cpu(), held.memoryGB(), without));
    }

    private void refuseIfOver(String quota, double requested, double limit, String unit) {
        if (requested > limit + EPSILON) {
            TenantUsage now = usageWithout(null);
            throw new ConflictException("quota-exceeded", String.format(
                    "Quota %s of tenant '%s' would be exceeded: this deployment needs %s %s in all, the quota is %s",
                    quota, tenantId, number(requested), unit, number(limit)),
                    Map.of("quota", quota, "required", requested, "limit", limit, "usage", now));
        }
    }

    private TenantUsage usageWith(String pluginId, double cpu, double memoryGB) {
        TenantUsage now = usageWithout(null);
        boolean newPlugin = reservations.values().stream().noneMatch(r -> r.pluginId().equals(pluginId));
        return new TenantUsage(now.plugins() + (newPlugin ? 1 : 0), now.cpu() + cpu, now.memoryGB() + memoryGB);
    }

    private TenantUsage usageWithout(String deploymentId) {
        var kept = reservations.values().stream().filter(r -> !r.deploymentId().equals(deploymentId)).toList();
        return new TenantUsage((int) kept.stream().map(Reservation::pluginId).distinct().count(),
                kept.stream().mapToDouble(Reservation::cpu).sum(),
                kept.stream().mapToDouble(Reservation::memoryGB).sum());
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format("%.2f", d);
    }

    @EventSourcingHandler
    void on(TenantCreated event) {
        tenantId = event.tenantId();
        quotas = event.quotas();
        status = TenantStatus.Active;
    }

    @EventSourcingHandler
    void on(TenantQuotaReserved event) {
        reservations.put(event.deploymentId(), new Reservation(event.deploymentId(), event.pluginId(),
                event.pluginVersion(), event.environment(), event.cpu(), event.memoryGB(), false));
    }

    @EventSourcingHandler
    void on(TenantQuotaSettled event) {
        reservations.computeIfPresent(event.deploymentId(), (id, r) -> r.settle());
    }

    @EventSourcingHandler
    void on(TenantQuotaReleased event) {
        reservations.remove(event.deploymentId());
    }
}
