package io.hotswap.query.tenant;

import io.hotswap.api.tenant.TenantPage;
import io.hotswap.api.tenant.FindTenantQuery;
import io.hotswap.api.tenant.ListTenantsQuery;
import io.hotswap.api.tenant.TenantView;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Optional;

@Component
public class TenantQueryHandler {

    private final TenantReadModel tenants;

    public TenantQueryHandler(TenantReadModel tenants) {
        this.tenants = tenants;
    }

    @QueryHandler
    public Optional<TenantView> handle(FindTenantQuery query) {
        return tenants.find(query.tenantId());
    }

    @QueryHandler
    public TenantPage handle(ListTenantsQuery query) {
        return tenants.list(query.page());
    }
}
