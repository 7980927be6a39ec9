package io.hotswap.command.tenant;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.plugin.PluginDependency;
import io.hotswap.api.tenant.CreateTenantCommand;
import io.hotswap.api.tenant.DeploymentQuotaReservation;
import io.hotswap.api.tenant.ReleaseDeploymentQuotaCommand;
import io.hotswap.api.tenant.ReserveDeploymentQuotaCommand;
import io.hotswap.api.tenant.RecordTenantClusterObjectProvisionedCommand;
import io.hotswap.api.tenant.RecordTenantProvisioningFailureCommand;
import io.hotswap.api.tenant.SettleDeploymentQuotaCommand;
import io.hotswap.api.tenant.TenantActivated;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.api.tenant.TenantClusterObjectProvisioned;
import io.hotswap.api.tenant.TenantCreated;
import io.hotswap.api.tenant.TenantProvisioningFailed;
import io.hotswap.api.tenant.TenantProvisioningStarted;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaReserved;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.api.tenant.TenantStatus;
import io.hotswap.api.tenant.TenantUsage;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tenant and its quota accounting. It is the consistency boundary for three rules: reservations never exceed the
 * quotas, at most one deployment per (plugin, environment) is in flight, and a plugin's dependencies run stable in
 * its environment before it deploys, and stay until it is gone. On Kubernetes a new tenant is Provisioning until
 * each of its {@link TenantClusterObject}s is recorded as provisioned, and Active from then on.
 */
@Aggregate(cache = "aggregateCache", lockFactory = "tenantLocks", snapshotTriggerDefinition = "aggregateSnapshots")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE) // snapshots hold the fields
public class Tenant {

    private static final double EPSILON = 1e-9;

    @AggregateIdentifier
    private String tenantId;
    private TenantStatus status;
    private String namespace;
    private TenantQuotas quotas;
    private final Set<TenantClusterObject> provisioned = EnumSet.noneOf(TenantClusterObject.class);
    private final Map<String, Reservation> reservations = new LinkedHashMap<>();

    protected Tenant() {
        // for Axon
    }

    /**
     * Answers the new tenant's status, so that the API can tell it before the read model has caught up (a creation
     * policy rather than a constructor: a constructor handler can answer only the identifier).
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    public TenantStatus handle(CreateTenantCommand command, TenantDirectory directory, TenantProvisioning provisioning) {
        directory.claim(command.tenantId(), command.namespace());
        apply(new TenantCreated(command.tenantId(), command.name(), command.namespace(), command.quotas()));
        if (provisioning.onCreation()) {
            apply(new TenantProvisioningStarted(command.tenantId(), command.namespace(), command.quotas()));
        }
        return status;
    }

    /** The last object to be provisioned makes the tenant Active. Recording one twice is harmless (a saga retried). */
    @CommandHandler
    public void handle(RecordTenantClusterObjectProvisionedCommand command) {
        if (provisioned.contains(command.object())) return;
        refuseUnlessProvisioning();
        apply(new TenantClusterObjectProvisioned(tenantId, namespace, command.object()));
        if (provisioned.containsAll(EnumSet.allOf(TenantClusterObject.class))) apply(new TenantActivated(tenantId));
    }

    @CommandHandler
    public void handle(RecordTenantProvisioningFailureCommand command) {
        refuseUnlessProvisioning();
        apply(new TenantProvisioningFailed(tenantId, namespace, command.object(), command.reason(), command.attempt(),
                command.nextAttemptAt()));
    }

    private void refuseUnlessProvisioning() {
        if (status != TenantStatus.Provisioning) {
            throw new ConflictException("tenant-not-provisioning", "Tenant '" + tenantId + "' is " + status
                    + ": there is nothing to provision");
        }
    }

    @CommandHandler
    public DeploymentQuotaReservation handle(ReserveDeploymentQuotaCommand command) {
        DeploymentQuotaReservation granted = check(command);
        Optional<Reservation> stable = stable(command.pluginId(), command.environment());
        apply(new TenantQuotaReserved(tenantId, command.deploymentId(), command.pluginId(), command.pluginVersion(),
                command.environment(), command.cpu(), command.memoryGB(), command.dependencies(),
                usageWith(command.pluginId(), granted.reservedCpu(), granted.reservedMemoryGB()),
                command.instances(), granted.reservedCpu(), granted.reservedMemoryGB(),
                stable.map(Reservation::deploymentId).orElse(null)));
        return granted;
    }

    /**
     * Answers what {@link #handle(ReserveDeploymentQuotaCommand)} would grant, without granting it.
     *
     * @throws ConflictException when the tenant is not active, the slot is busy, a dependency is unmet or a quota
     *                           would be exceeded
     */
    public DeploymentQuotaReservation check(ReserveDeploymentQuotaCommand command) {
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
        Optional<Reservation> stable = stable(command.pluginId(), command.environment());
        if (stable.isPresent() && stable.get().pluginVersion().equals(command.pluginVersion())) {
            throw new ConflictException("version-already-deployed", "Version " + command.pluginVersion() + " of plugin '"
                    + command.pluginId() + "' already runs in " + command.environment() + " of tenant '" + tenantId
                    + "' (deployment " + stable.get().deploymentId() + "); there is nothing to deploy",
                    Map.of("stableDeploymentId", stable.get().deploymentId()));
        }
        DependencyRules.Verdict dependencies = DependencyRules.check(command.dependencies(), command.environment(),
                reservations.values());
        if (!dependencies.satisfied()) {
            throw new ConflictException("dependencies-unmet", "Plugin '" + command.pluginId() + "' "
                    + command.pluginVersion() + " needs dependencies that do not run stable in " + command.environment()
                    + " of tenant '" + tenantId + "': missing " + dependencies.missing() + ", conflicting "
                    + dependencies.conflicts(), Map.of("missing", dependencies.missing(), "conflicts", dependencies.conflicts()));
        }
        int previous = stable.map(Reservation::instances).orElse(0);
        double inFlightCpu = inFlight(command, stable, command.cpu(), command.perInstance().cpu(), Reservation::cpu);
        double inFlightMemoryGB = inFlight(command, stable, command.memoryGB(),
                command.perInstance().memoryMB() / 1024.0, Reservation::memoryGB);
        TenantUsage after = usageWith(command.pluginId(), inFlightCpu, inFlightMemoryGB);
        refuseIfOver("maxPlugins", after.plugins(), quotas.maxPlugins(), "plugins");
        refuseIfOver("maxCpu", after.cpu(), quotas.maxCpu(), "CPU cores");
        refuseIfOver("maxMemoryGB", after.memoryGB(), quotas.maxMemoryGB(), "GB of memory");
        return new DeploymentQuotaReservation(command.deploymentId(), stable.map(Reservation::pluginVersion).orElse(null),
                previous > 0 ? previous : null, inFlightCpu, inFlightMemoryGB);
    }

    /**
     * What a deployment adds to its tenant's usage of one resource while it runs: its plan's peak, with both versions
     * running side by side, beyond what the stable set it replaces holds already. A first install adds its whole set,
     * and so does an upgrade of a stable set whose size was not recorded.
     */
    private static double inFlight(ReserveDeploymentQuotaCommand command, Optional<Reservation> stable, double wholeSet,
                                   double perNewInstance, ToDoubleFunction<Reservation> held) {
        if (stable.isEmpty() || stable.get().instances() <= 0) return wholeSet;
        int previous = stable.get().instances();
        double stableHolds = held.applyAsDouble(stable.get());
        return rounded(Math.max(0, command.plan().peak(perNewInstance, previous, stableHolds / previous) - stableHolds));
    }

    /**
     * A completed deployment may only be rolled back while it is the stable version of its (plugin, environment),
     * and if no other plugin there depends on it at a version the rollback would not keep running.
     *
     * @throws ConflictException when a newer deployment replaced it, or naming the plugins that depend on it
     */
    public void checkRollback(String deploymentId) {
        Reservation leaving = reservations.get(deploymentId);
        if (leaving == null) {
            throw new ConflictException("deployment-superseded", "Deployment " + deploymentId + " no longer runs in "
                    + "tenant '" + tenantId + "': a newer deployment replaced it (or it was rolled back); roll back "
                    + "the newest one instead");
        }
        if (!leaving.settled()) return; // completing just now, not stable yet: nobody can depend on it
        String restored = leaving.replaces() == null ? null : leaving.replaces().pluginVersion();
        var dependents = reservations.values().stream()
                .filter(r -> !r.pluginId().equals(leaving.pluginId()) && r.environment().equalsIgnoreCase(leaving.environment()))
                .filter(r -> r.dependencies().stream().anyMatch(d -> d.pluginId().equals(leaving.pluginId())
                        && !DependencyRules.satisfies(restored, d.versionRange())))
                .map(r -> r.pluginId() + " " + r.pluginVersion()).toList();
        if (!dependents.isEmpty()) {
            throw new ConflictException("dependency-in-use", "Rolling back '" + leaving.pluginId() + "' "
                    + leaving.pluginVersion() + " in " + leaving.environment() + " would leave "
                    + (restored == null ? "no version" : "version " + restored) + ", which " + dependents
                    + " cannot run with; roll those back first", Map.of("dependents", dependents));
        }
    }

    @CommandHandler
    public void handle(ReleaseDeploymentQuotaCommand command) {
        Reservation held = reservations.get(command.deploymentId());
        if (held == null) return; // releasing twice is harmless: events may be redelivered
        Reservation reinstated = held.replaces();
        TenantUsage after = usage(reservations.values().stream()
                .filter(r -> !r.deploymentId().equals(held.deploymentId())).toList(), reinstated);
        String stableAfter = reinstated != null ? reinstated.deploymentId()
                : held.settled() ? null : stable(held.pluginId(), held.environment()).map(Reservation::deploymentId).orElse(null);
        apply(new TenantQuotaReleased(tenantId, held.deploymentId(), held.countedCpu(), held.countedMemoryGB(),
                reinstated == null ? null : reinstated.deploymentId(), after, stableAfter));
    }

    @CommandHandler
    public void handle(SettleDeploymentQuotaCommand command) {
        Reservation settling = reservations.get(command.deploymentId());
        if (settling == null || settling.settled()) return; // already settled, or released: nothing to do
        Optional<Reservation> replaced = stable(settling.pluginId(), settling.environment());
        TenantUsage after = usage(reservations.values().stream()
                .filter(r -> replaced.isEmpty() || !r.deploymentId().equals(replaced.get().deploymentId()))
                .filter(r -> r != settling).toList(), settling.settle(null));
        apply(new TenantQuotaSettled(tenantId, settling.deploymentId(), settling.pluginId(), settling.pluginVersion(),
                settling.environment(), replaced.map(Reservation::deploymentId).orElse(null), after));
    }

    private Optional<Reservation> stable(String pluginId, String environment) {
        return reservations.values().stream().filter(r -> r.settled() && r.sameSlot(pluginId, environment)).findFirst();
    }

    private void refuseIfOver(String quota, double required, double limit, String unit) {
        if (required > limit + EPSILON) {
            throw new ConflictException("quota-exceeded", String.format(
                    "Quota %s of tenant '%s' would be exceeded: this deployment needs %s %s in all, the quota is %s",
                    quota, tenantId, number(required), unit, number(limit)),
                    Map.of("quota", quota, "required", required, "limit", limit,
                            "usage", usage(reservations.values(), null)));
        }
    }

    private TenantUsage usageWith(String pluginId, double cpu, double memoryGB) {
        TenantUsage now = usage(reservations.values(), null);
        boolean newPlugin = reservations.values().stream().noneMatch(r -> r.pluginId().equals(pluginId));
        return new TenantUsage(now.plugins() + (newPlugin ? 1 : 0), rounded(now.cpu() + cpu),
                rounded(now.memoryGB() + memoryGB));
    }

    private static TenantUsage usage(Collection<Reservation> counted, Reservation extra) {
        List<Reservation> all = new ArrayList<>(counted);
        if (extra != null) all.add(extra);
        return new TenantUsage((int) all.stream().map(Reservation::pluginId).distinct().count(),
                rounded(all.stream().mapToDouble(Reservation::countedCpu).sum()),
                rounded(all.stream().mapToDouble(Reservation::countedMemoryGB).sum()));
    }

    /** Usage is shown to people: 0.3, not 0.30000000000000004. */
    private static double rounded(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format("%.2f", d);
    }

    @EventSourcingHandler
    void on(TenantCreated event) {
        tenantId = event.tenantId();
        namespace = event.namespace();
        quotas = event.quotas();
        status = TenantStatus.Active;
    }

    @EventSourcingHandler
    void on(TenantProvisioningStarted event) {
        status = TenantStatus.Provisioning;
    }

    @EventSourcingHandler
    void on(TenantClusterObjectProvisioned event) {
        provisioned.add(event.object());
    }

    @EventSourcingHandler
    void on(TenantActivated event) {
        status = TenantStatus.Active;
    }

    @EventSourcingHandler
    void on(TenantQuotaReserved event) {
        reservations.put(event.deploymentId(), new Reservation(event.deploymentId(), event.pluginId(),
                event.pluginVersion(), event.environment(), event.instances() == null ? 0 : event.instances(),
                event.cpu(), event.memoryGB(), event.inFlightCpu(), event.inFlightMemoryGB(),
                event.dependencies() == null ? List.<PluginDependency>of() : event.dependencies(), false, null));
    }

    @EventSourcingHandler
    void on(TenantQuotaSettled event) {
        Reservation replaced = event.replacedDeploymentId() == null ? null : reservations.remove(event.replacedDeploymentId());
        reservations.computeIfPresent(event.deploymentId(), (id, r) -> r.settle(replaced));
    }

    @EventSourcingHandler
    void on(TenantQuotaReleased event) {
        Reservation released = reservations.remove(event.deploymentId());
        if (released != null && released.replaces() != null) {
            reservations.put(released.replaces().deploymentId(), released.replaces());
        }
    }
}
