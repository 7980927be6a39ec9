package io.hotswap.ops.metrics;

import io.hotswap.api.tenant.TenantStatus;
import io.hotswap.api.tenant.TenantView;
import io.hotswap.query.tenant.TenantReadModel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The guide's tenant metrics, read from {@code tenant_view} at each scrape (one query): {@code tenants_active_total},
 * {@code plugins_per_tenant{tenant}}, {@code resource_usage{tenant,resource}} (cpu in cores, memory in GB), and
 * {@code tenant_resource_usage} and {@code tenant_quota} with the same labels plus {@code resource="plugins"}, so that
 * the guide's alert {@code tenant_resource_usage / tenant_quota > 0.9} divides matching series. Decommissioned tenants
 * are left out.
 */
@Component
class TenantMetrics extends ReadModelGauges {

    private final TenantReadModel tenants;
    /**
     * Each tenant's label sets, kept from one scrape to the next: building one validates and sorts its names, and with
     * nine points a tenant that was most of a big scrape's time. Rebuilt each scrape, so gone tenants drop out.
     */
    private volatile Map<String, TenantLabels> labels = Map.of();

    private record TenantLabels(Labels tenant, Labels cpu, Labels memory, Labels plugins) {

        static TenantLabels of(String tenant) {
            return new TenantLabels(Labels.of("tenant", tenant), Labels.of("tenant", tenant, "resource", "cpu"),
                    Labels.of("tenant", tenant, "resource", "memory"), Labels.of("tenant", tenant, "resource", "plugins"));
        }
    }

    TenantMetrics(TenantReadModel tenants, ObjectProvider<PrometheusRegistry> prometheus) {
        this.tenants = tenants;
        registerWith(prometheus);
    }

    @Override
    MetricSnapshots read() {
        List<TenantView> all = tenants.all().stream()
                .filter(tenant -> tenant.status() != TenantStatus.Decommissioned).toList();
        GaugeSnapshot.Builder pluginsPerTenant = gauge("plugins_per_tenant", "Plugins deployed for the tenant");
        GaugeSnapshot.Builder resourceUsage = gauge("resource_usage", "Resources reserved by the tenant's plugins (cpu in cores, memory in GB)");
        GaugeSnapshot.Builder tenantUsage = gauge("tenant_resource_usage", "Resources reserved by the tenant's plugins (cpu in cores, memory in GB, plugins)");
        GaugeSnapshot.Builder tenantQuota = gauge("tenant_quota", "The tenant's quota (cpu in cores, memory in GB, plugins)");
        Map<String, TenantLabels> known = labels;
        Map<String, TenantLabels> current = new HashMap<>();
        for (TenantView tenant : all) {
            TenantLabels labelled = known.get(tenant.tenantId());
            if (labelled == null) labelled = TenantLabels.of(tenant.tenantId());
            current.put(tenant.tenantId(), labelled);
            pluginsPerTenant.dataPoint(point(tenant.usage().plugins(), labelled.tenant()));
            for (var usage : List.of(resourceUsage, tenantUsage)) {
                usage.dataPoint(point(tenant.usage().cpu(), labelled.cpu()));
                usage.dataPoint(point(tenant.usage().memoryGB(), labelled.memory()));
            }
            tenantUsage.dataPoint(point(tenant.usage().plugins(), labelled.plugins()));
            tenantQuota.dataPoint(point(tenant.quotas().maxCpu(), labelled.cpu()));
            tenantQuota.dataPoint(point(tenant.quotas().maxMemoryGB(), labelled.memory()));
            tenantQuota.dataPoint(point(tenant.quotas().maxPlugins(), labelled.plugins()));
        }
        labels = current;
        long active = all.stream().filter(tenant -> tenant.status() == TenantStatus.Active).count();
        // a gauge may not end in _total (the Prometheus client strips it), so the guide's name needs the counter
        // type; its value is the current number and falls when a tenant is suspended
        CounterSnapshot tenantsActive = CounterSnapshot.builder().name("tenants_active").help("Tenants in status Active")
                .dataPoint(CounterDataPointSnapshot.builder().value(active).build()).build();
        return MetricSnapshots.of(tenantsActive, pluginsPerTenant.build(), resourceUsage.build(), tenantUsage.build(),
                tenantQuota.build());
    }
}
