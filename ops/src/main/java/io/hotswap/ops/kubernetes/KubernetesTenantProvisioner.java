package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.sagas.tenant.TenantProvisioner;
import io.hotswap.sagas.tenant.TenantProvisioningException;
import io.hotswap.sagas.tenant.TenantSpec;

import java.time.Duration;

/**
 * Provisions with fabric8: each object is created, or, when it exists, merge-patched to its desired state (the mock
 * API server of the tests does not take server-side apply). Fields others added stay; the ones we set are ours.
 */
public class KubernetesTenantProvisioner implements TenantProvisioner {

    /** One attempt per call, bounded: the saga records the failure and retries with back-off on its own. */
    static final Duration API_TIMEOUT = Duration.ofSeconds(5);

    private final KubernetesClient client;

    public KubernetesTenantProvisioner(KubernetesClient cluster) {
        this.client = KubernetesConfig.oneAttempt(cluster, API_TIMEOUT);
    }

    @Override
    public void provision(TenantClusterObject object, TenantSpec tenant) {
        for (HasMetadata desired : TenantNamespaceObjects.of(object, tenant)) {
            try {
                client.resource(desired).createOr(existing -> existing.patch(PatchContext.of(PatchType.JSON_MERGE), desired));
            } catch (KubernetesClientException e) {
                throw new TenantProvisioningException(desired.getKind() + " '" + desired.getMetadata().getName()
                        + "': " + answer(e), e);
            }
        }
    }

    /** What the API server said, or why it said nothing. */
    private String answer(KubernetesClientException e) {
        if (e.getCode() > 0) {
            String message = e.getStatus() == null ? null : e.getStatus().getMessage();
            return "the API server answered " + e.getCode() + (message == null ? "" : " (" + message + ")");
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return "no answer from the API server at " + client.getMasterUrl() + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }
}
