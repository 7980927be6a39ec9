package io.hotswap.command.deployment;

import io.hotswap.command.tenant.Tenant;
import org.axonframework.modelling.command.Repository;

/** Loads the Tenant aggregate in the rollback's own unit of work and lets it judge. */
public class TenantRollbackGuard implements RollbackGuard {

    private final Repository<Tenant> tenants;

    public TenantRollbackGuard(Repository<Tenant> tenants) {
        this.tenants = tenants;
    }

    @Override
    public void check(String tenantId, String deploymentId) {
        tenants.load(tenantId).execute(tenant -> tenant.checkRollback(deploymentId));
    }
}
