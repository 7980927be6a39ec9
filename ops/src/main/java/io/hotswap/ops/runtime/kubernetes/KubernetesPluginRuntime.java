package io.hotswap.ops.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.ops.kubernetes.TenantObjects;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.hotswap.sagas.runtime.PluginVersionSpec;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Plugin instances as pods (see {@link PluginObjects} for the objects): {@code scale} sets a version's Deployment to the
 * count the saga chose, creating it (and the target's Service) at the first instance and deleting it at none. The
 * cluster is the only state: every call reads what it needs from it, so any server replica can make the next one.
 *
 * <p>Tracks: a version whose Deployment is created while another version of the target runs is the {@code canary};
 * once it is the target's only Deployment it becomes {@code stable}. The label is on the Deployment, not its pods, so
 * promoting a canary restarts nothing.
 */
public class KubernetesPluginRuntime implements PluginRuntime {

    private final KubernetesClient client;
    private final KubernetesRuntimeProperties settings;
    private final BinaryUrls binaryUrls;
    private final Clock clock;

    public KubernetesPluginRuntime(KubernetesClient client, KubernetesRuntimeProperties settings, BinaryUrls binaryUrls,
                                   Clock clock) {
        this.client = client;
        this.settings = settings;
        this.binaryUrls = binaryUrls;
        this.clock = clock;
    }

    @Override
    public Set<String> runtimeTypes() {
        return Set.of("jar", "image");
    }

    @Override
    public void scale(DeploymentTarget target, PluginVersionSpec version, int instances) {
        String namespace = namespaceOf(target);
        String name = PluginObjects.deploymentName(target, version.version());
        Deployment existing = client.apps().deployments().inNamespace(namespace).withName(name).get();
        List<Deployment> others = deploymentsOf(namespace, target).stream()
                .filter(d -> !d.getMetadata().getName().equals(name)).toList();
        if (instances == 0) {
            retire(namespace, target, name, existing, others);
            return;
        }
        if (version.runtime().type().equals("jar")) renewBinaryDownload(namespace, name, target, version);
        if (existing == null) {
            client.services().inNamespace(namespace).resource(PluginObjects.service(target, settings.pluginPort()))
                    .createOr(NonDeletingOperation::update);
            String track = others.isEmpty() ? PluginObjects.STABLE : PluginObjects.CANARY;
            client.apps().deployments().inNamespace(namespace)
                    .resource(PluginObjects.deployment(target, version, instances, track, settings)).create();
            return;
        }
        if (!Integer.valueOf(instances).equals(existing.getSpec().getReplicas())) {
            client.apps().deployments().inNamespace(namespace).withName(name).edit(d -> {
                d.getSpec().setReplicas(instances);
                return d;
            });
        }
        if (others.isEmpty()) markStable(namespace, existing);
    }

    @Override
    public List<InstanceHealth> check(DeploymentTarget target, String version) {
        String namespace = namespaceOf(target);
        List<Pod> pods = client.pods().inNamespace(namespace).withLabels(PluginObjects.podLabels(target, version)).list()
                .getItems().stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
        List<InstanceHealth> health = new ArrayList<>(pods.stream().map(pod -> PodHealth.of(pod, version)).toList());
        Deployment deployment = client.apps().deployments().inNamespace(namespace)
                .withName(PluginObjects.deploymentName(target, version)).get();
        if (deployment != null) health.addAll(PodHealth.notCreated(deployment, version, pods.size()));
        health.sort(Comparator.comparing(InstanceHealth::instanceId));
        return health;
    }

    /** Pods whose plugin container runs, Ready or not, terminating ones included: they still run. */
    @Override
    public Map<String, Integer> running(DeploymentTarget target) {
        return client.pods().inNamespace(namespaceOf(target)).withLabels(PluginObjects.targetSelector(target)).list()
                .getItems().stream().filter(PodHealth::isRunning)
                .collect(Collectors.groupingBy(pod -> PluginObjects.versionOf(
                                pod.getMetadata().getLabels().get(PluginObjects.VERSION_LABEL)),
                        TreeMap::new, Collectors.summingInt(pod -> 1)));
    }

    /** Deletes the pod; its Deployment starts a new one. */
    @Override
    public void replace(DeploymentTarget target, String instanceId) {
        String namespace = namespaceOf(target);
        Pod pod = client.pods().inNamespace(namespace).withName(instanceId).get();
        if (pod == null || !pod.getMetadata().getLabels().entrySet().containsAll(
                PluginObjects.targetSelector(target).entrySet())) return;
        client.pods().inNamespace(namespace).withName(instanceId).delete();
    }

    /** The namespace labelled with the tenant's id: the provisioner creates it, and the cluster says which it is. */
    String namespaceOf(DeploymentTarget target) {
        List<Namespace> labelled = client.namespaces().withLabel(TenantObjects.TENANT_LABEL, target.tenantId()).list().getItems();
        if (labelled.size() != 1) {
            throw new IllegalStateException("tenant " + target.tenantId() + " needs exactly one namespace labelled "
                    + TenantObjects.TENANT_LABEL + "=" + target.tenantId() + ", the cluster has " + labelled.size()
                    + (labelled.isEmpty() ? " (is the tenant provisioned yet?)" : ""));
        }
        return labelled.get(0).getMetadata().getName();
    }

    /** Deletes the version's Deployment and binary Secret; the last version of a target takes its Service along. */
    private void retire(String namespace, DeploymentTarget target, String name, Deployment existing, List<Deployment> others) {
        if (existing != null) client.apps().deployments().inNamespace(namespace).withName(name).delete();
        client.secrets().inNamespace(namespace).withName(PluginObjects.binarySecretName(name)).delete();
        if (others.isEmpty()) {
            client.services().inNamespace(namespace).withName(PluginObjects.serviceName(target)).delete();
        } else if (others.size() == 1) {
            markStable(namespace, others.get(0));
        }
    }

    private void markStable(String namespace, Deployment deployment) {
        if (PluginObjects.STABLE.equals(deployment.getMetadata().getLabels().get(PluginObjects.TRACK_LABEL))) return;
        client.apps().deployments().inNamespace(namespace).withName(deployment.getMetadata().getName())
                .edit(d -> {
                    d.getMetadata().getLabels().put(PluginObjects.TRACK_LABEL, PluginObjects.STABLE);
                    return d;
                });
    }

    /**
     * Writes the Secret the init container downloads with when it is missing or has less than half its validity left.
     * Every health check scales again, so a running deployment's download keeps working for pods started later.
     */
    private void renewBinaryDownload(String namespace, String deploymentName, DeploymentTarget target,
                                     PluginVersionSpec version) {
        Instant now = clock.instant();
        Secret current = client.secrets().inNamespace(namespace).withName(PluginObjects.binarySecretName(deploymentName)).get();
        String expires = current == null ? null : current.getMetadata().getAnnotations().get(PluginObjects.EXPIRES_ANNOTATION);
        if (expires != null && Instant.parse(expires).isAfter(now.plus(settings.binaryUrlValidity().dividedBy(2)))) return;
        BinaryUrls.Download download = binaryUrls.downloadOf(target.tenantId(), target.pluginId(), version.version(),
                version.binary(), settings.binaryUrlValidity());
        client.secrets().inNamespace(namespace).resource(PluginObjects.binarySecret(deploymentName, target, download,
                now.plus(settings.binaryUrlValidity()))).createOr(NonDeletingOperation::update);
    }

    private List<Deployment> deploymentsOf(String namespace, DeploymentTarget target) {
        return client.apps().deployments().inNamespace(namespace).withLabels(PluginObjects.targetSelector(target)).list()
                .getItems();
    }
}
