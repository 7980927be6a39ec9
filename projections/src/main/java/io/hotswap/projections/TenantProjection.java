package io.hotswap.projections;

import io.hotswap.api.tenant.TenantCreated;
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
