package io.hotswap.command.tenant;

/**
 * Whether a new tenant gets its objects in a cluster before it becomes Active ({@code Runtime.Provider} Kubernetes),
 * or is Active at once (the local runtime needs nothing provisioned).
 */
public record TenantProvisioning(boolean onCreation) {

    public static final TenantProvisioning OFF = new TenantProvisioning(false);
}
