package io.hotswap.projections;

import io.hotswap.api.tenant.TenantActivated;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.api.tenant.TenantClusterObjectProvisioned;
import io.hotswap.api.tenant.TenantCreated;
import io.hotswap.api.tenant.TenantProvisioningFailed;
import io.hotswap.api.tenant.TenantProvisioningStarted;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaReserved;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.api.tenant.TenantStatus;
import io.hotswap.query.tenant.TenantReadModel;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

@Component
@ProcessingGroup("tenant-view")
public class TenantProjection {

    private final TenantReadModel tenants;

    public TenantProjection(TenantReadModel tenants) {
        this.tenants = tenants;
    }

    @EventHandler
    void on(TenantCreated event, @Timestamp Instant at) {
        tenants.insert(event.tenantId(), event.name(), event.namespace(), TenantStatus.Active, event.quotas(), at);
    }

    @EventHandler
    void on(TenantProvisioningStarted event, @Timestamp Instant at) {
        tenants.updateStatus(event.tenantId(), TenantStatus.Provisioning,
                waitingFor(Arrays.asList(TenantClusterObject.values()), event.namespace()), at);
    }

    @EventHandler
    void on(TenantClusterObjectProvisioned event, @Timestamp Instant at) {
        tenants.updateStatus(event.tenantId(), TenantStatus.Provisioning,
                waitingFor(event.object().following(), event.namespace()), at);
    }

    @EventHandler
    void on(TenantProvisioningFailed event, @Timestamp Instant at) {
        tenants.updateStatus(event.tenantId(), TenantStatus.Provisioning, event.reason() + " (attempt "
                + event.attempt() + "; trying again at " + event.nextAttemptAt() + ")", at);
    }

    @EventHandler
    void on(TenantActivated event, @Timestamp Instant at) {
        tenants.updateStatus(event.tenantId(), TenantStatus.Active, null, at);
    }

    private static String waitingFor(List<TenantClusterObject> objects, String namespace) {
        return "Provisioning " + objects + " in namespace '" + namespace + "'";
    }

    @EventHandler
    void on(TenantQuotaReserved event, @Timestamp Instant at) {
        tenants.updateUsage(event.tenantId(), event.usage(), at);
    }

    @EventHandler
    void on(TenantQuotaSettled event, @Timestamp Instant at) {
        tenants.updateUsage(event.tenantId(), event.usage(), at);
    }

    @EventHandler
    void on(TenantQuotaReleased event, @Timestamp Instant at) {
        tenants.updateUsage(event.tenantId(), event.usage(), at);
    }

    @ResetHandler
    void reset() {
        tenants.deleteAll();
    }
}
