package io.hotswap.api.tenant;

import java.util.Arrays;
import java.util.List;

/**
 * What a tenant gets in the cluster when it is created on Kubernetes, in the order it is provisioned: the namespace
 * first, because the others live in it.
 */
public enum TenantClusterObject {
    Namespace, ResourceQuota, NetworkPolicies, ServiceAccount;

    public static TenantClusterObject first() {
        return values()[0];
    }

    /** What is provisioned after this one; empty after the last. */
    public List<TenantClusterObject> following() {
        return Arrays.asList(values()).subList(ordinal() + 1, values().length);
    }
}
