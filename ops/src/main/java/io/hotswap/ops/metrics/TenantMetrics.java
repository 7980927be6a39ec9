package io.hotswap.ops.metrics;

import io.hotswap.api.tenant.TenantStatus;
import io.hotswap.api.tenant.TenantView;
import io.hotswap.query.tenant.TenantReadModel;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The guide's tenant metrics, read from {@code tenant_view} at each scrape (one query), so every replica shows the
 * same numbers and they survive restarts: {@code tenants_active_total}, {@code plugins_per_tenant{tenant}},
 * {@code resource_usage{tenant,resource}} (cpu in cores, memory in GB), and {@code tenant_resource_usage} and
 * {@code tenant_quota} with the same labels plus {@code resource="plugins"}, so that the guide's alert
 * {@code tenant_resource_usage / tenant_quota > 0.9} divides matching series. Decommissioned tenants are left out.
 *
 * <p>A Prometheus collector rather than Micrometer gauges: tenants come and go between scrapes, and a collector
 * reports exactly the rows there are, with no registration to keep in step.
 */
@Component
class TenantMetrics implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(TenantMetrics.class);

    private final TenantReadModel tenants;

    TenantMetrics(TenantReadModel tenants, ObjectProvider<PrometheusRegistry> prometheus) {
        this.tenants = tenants;
        prometheus.ifAvailable(registry -> registry.register(this)); // absent when metrics export is off (most tests)
    }

    @Override
    public MetricSnapshots collect() {
        List<TenantView> all;
        try {
            all = tenants.all().stream().filter(tenant -> tenant.status() != TenantStatus.Decommissioned).toList();
        } catch (RuntimeException e) {
            // the rest of the scrape (deployments, JVM) is still worth having while the database is away
            log.warn("Tenant metrics left out of this scrape: {}", e.getMessage());
            return MetricSnapshots.of();
        }
        GaugeSnapshot.Builder pluginsPerTenant = gauge("plugins_per_tenant", "Plugins deployed for the tenant");
        GaugeSnapshot.Builder resourceUsage = gauge("resource_usage", "Resources reserved by the tenant's plugins (cpu in cores, memory in GB)");
        GaugeSnapshot.Builder tenantUsage = gauge("tenant_resource_usage", "Resources reserved by the tenant's plugins (cpu in cores, memory in GB, plugins)");
        GaugeSnapshot.Builder tenantQuota = gauge("tenant_quota", "The tenant's quota (cpu in cores, memory in GB, plugins)");
        for (TenantView tenant : all) {
            String id = tenant.tenantId();
            pluginsPerTenant.dataPoint(point(tenant.usage().plugins(), "tenant", id));
            for (var usage : List.of(resourceUsage, tenantUsage)) {
                usage.dataPoint(point(tenant.usage().cpu(), "tenant", id, "resource", "cpu"));
                usage.dataPoint(point(tenant.usage().memoryGB(), "tenant", id, "resource", "memory"));
            }
            tenantUsage.dataPoint(point(tenant.usage().plugins(), "tenant", id, "resource", "plugins"));
            tenantQuota.dataPoint(point(tenant.quotas().maxCpu(), "tenant", id, "resource", "cpu"));
            tenantQuota.dataPoint(point(tenant.quotas().maxMemoryGB(), "tenant", id, "resource", "memory"));
            tenantQuota.dataPoint(point(tenant.quotas().maxPlugins(), "tenant", id, "resource", "plugins"));
        }
        long active = all.stream().filter(tenant -> tenant.status() == TenantStatus.Active).count();
        // a gauge may not end in _total (the Prometheus client strips it), so the guide's name needs the counter
        // type; its value is the current number and falls when a tenant is suspended
        CounterSnapshot tenantsActive = CounterSnapshot.builder().name("tenants_active").help("Tenants in status Active")
                .dataPoint(CounterDataPointSnapshot.builder().value(active).build()).build();
        return MetricSnapshots.of(tenantsActive, pluginsPerTenant.build(), resourceUsage.build(), tenantUsage.build(),
                tenantQuota.build());
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
