package io.hotswap.query.tenant;

import io.hotswap.api.page.PageCursors;
import io.hotswap.api.page.PageRequest;
import io.hotswap.api.tenant.FindTenantQuery;
import io.hotswap.api.tenant.ListTenantsQuery;
import io.hotswap.api.tenant.TenantPage;
import io.hotswap.api.tenant.TenantView;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;

@Component
public class TenantQueryHandler {

    private final TenantReadModel tenants;
    private final PageCursors cursors;

    public TenantQueryHandler(TenantReadModel tenants, PageCursors cursors) {
        this.tenants = tenants;
        this.cursors = cursors;
    }

    @QueryHandler
    public Optional<TenantView> handle(FindTenantQuery query) {
        return tenants.find(query.tenantId());
    }

    @QueryHandler
    public TenantPage handle(ListTenantsQuery query) {
        PageRequest page = query.page();
        List<TenantView> read = tenants.list(page);
        return new TenantPage(page.shown(read), page.page(), page.size(), tenants.count(),
                cursors.next(ListTenantsQuery.LISTING, Map.of(), page, read, TenantReadModel::key));
    }
}
