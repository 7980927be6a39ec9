package io.hotswap.ops.kubernetes;

/**
 * The names and labels the provisioner and the Kubernetes runtime agree on: what a tenant's namespace and the objects
 * in it are called and how they are found.
 */
public final class TenantObjects {

    /** On every object the server creates; its value is the tenant's id. A tenant's namespace is found by it. */
    public static final String TENANT_LABEL = "tenant";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "plugin-manager";
    /** The ServiceAccount a tenant's plugin pods run as (its token is not mounted). */
    public static final String PLUGIN_SERVICE_ACCOUNT = "tenant-plugins";

    private TenantObjects() {
    }
}
