package io.hotswap.sagas.tenant;

import io.hotswap.api.tenant.TenantClusterObject;

/** Puts a tenant's objects into the cluster. */
public interface TenantProvisioner {

    /**
     * Creates the object, or patches it to the desired state when it exists already: doing it again is harmless.
     *
     * @throws TenantProvisioningException saying what the cluster answered, when it did not do it
     */
    void provision(TenantClusterObject object, TenantSpec tenant);
}
