package io.hotswap.sagas.tenant;

import io.hotswap.api.tenant.TenantClusterObject;

import java.util.ArrayList;
import java.util.List;

/** Provisions nothing, but remembers what it was asked; refuses the next {@code failures} calls like a cluster answering 500. */
class FakeTenantProvisioner implements TenantProvisioner {

    final List<TenantClusterObject> provisioned = new ArrayList<>();
    private int failures;

    void failNext(int calls) {
        failures = calls;
    }

    @Override
    public void provision(TenantClusterObject object, TenantSpec tenant) {
        if (failures > 0) {
            failures--;
            throw new TenantProvisioningException("the API server answered 500 Internal Server Error");
        }
        provisioned.add(object);
    }
}
