package io.hotswap.ops.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.hotswap.ops.kubernetes.TenantObjects;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginVersionSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the Kubernetes runtime creates in a tenant's namespace, as pure functions: per (plugin, environment, version)
 * a Deployment, per (plugin, environment) a Service that selects every version's pods, so traffic splits by replica
 * counts. The environment is part of both, because all environments of a tenant share its namespace.
 */
final class PluginObjects {

    static final String PLUGIN_LABEL = "plugin";
    static final String ENVIRONMENT_LABEL = "environment";
    static final String VERSION_LABEL = "version";
    /** {@code stable}: what ran before; {@code canary}: a version started beside it. On the Deployment only. */
    static final String TRACK_LABEL = "track";
    static final String STABLE = "stable";
    static final String CANARY = "canary";
    static final String PLUGIN_CONTAINER = "plugin";
    /** Non-root in every image: the {@code restricted} Pod Security Standard admits no root user. */
    static final long PLUGIN_USER = 10001;
    private static final String BINARY_VOLUME = "plugin-binary";
    private static final String JAR_PATH = "/plugin/plugin.jar";
    /** The annotation on a binary Secret saying when its download stops working. */
    static final String EXPIRES_ANNOTATION = "hotswap.io/binary-url-expires";

    private PluginObjects() {
    }

    /**
     * A valid DNS label (lower case, at most 63 characters, starting with a letter) that keeps the parts readable and
     * ends in a hash of them exactly, so names that read alike ({@code 1.0.0-rc.1} and {@code 1.0.0-rc-1},
     * {@code Production} and {@code production}) do not clash.
     */
    static String name(String... parts) {
        String readable = String.join("-", parts).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        if (!Character.isLetter(readable.charAt(0))) readable = "p-" + readable;
        if (readable.length() > 54) readable = readable.substring(0, 54);
        return readable.replaceAll("-+$", "") + "-" + hash(String.join("\n", parts));
    }

    static String deploymentName(DeploymentTarget target, String version) {
        return name(target.pluginId(), target.environment(), version);
    }

    static String serviceName(DeploymentTarget target) {
        return name(target.pluginId(), target.environment());
    }

    static String binarySecretName(String deploymentName) {
        return deploymentName + "-binary";
    }

    /** Semver's build metadata ({@code +build}) is the one character a label value cannot hold; {@code _} can. */
    static String versionLabel(String version) {
        return version.replace('+', '_');
    }

    static String versionOf(String versionLabel) {
        return versionLabel.replace('_', '+');
    }

    /** The labels that select a target's pods, of every version. */
    static Map<String, String> targetSelector(DeploymentTarget target) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(TenantObjects.TENANT_LABEL, target.tenantId());
        labels.put(PLUGIN_LABEL, target.pluginId());
        labels.put(ENVIRONMENT_LABEL, target.environment());
        return labels;
    }

    /** The labels on each pod of one version. */
    static Map<String, String> podLabels(DeploymentTarget target, String version) {
        Map<String, String> labels = targetSelector(target);
        labels.put(VERSION_LABEL, versionLabel(version));
        return labels;
    }

    static Service service(DeploymentTarget target, int pluginPort) {
        Map<String, String> labels = managed(targetSelector(target));
        return new ServiceBuilder()
                .withNewMetadata().withName(serviceName(target)).withLabels(labels).endMetadata()
                .withNewSpec().withSelector(targetSelector(target))
                .addNewPort().withName("http").withPort(pluginPort).withNewTargetPort("http").endPort()
                .endSpec().build();
    }

    /**
     * One version's Deployment. A {@code jar} runs {@code java -jar} in {@code jarImage} on the binary an init container
     * fetched (URL and token from the version's binary Secret) and checked against its SHA-256; an {@code image}
     * runs as it is.
     */
    static Deployment deployment(DeploymentTarget target, PluginVersionSpec version, int replicas, String track,
                                 KubernetesRuntimeProperties settings) {
        String name = deploymentName(target, version.version());
        Map<String, String> podLabels = podLabels(target, version.version());
        Map<String, String> labels = managed(podLabels);
        labels.put(TRACK_LABEL, track);
        boolean jar = version.runtime().type().equals("jar");
        PodSpecBuilder pod = new PodSpecBuilder()
                .withServiceAccountName(TenantObjects.PLUGIN_SERVICE_ACCOUNT)
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(PLUGIN_USER).withRunAsGroup(PLUGIN_USER)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext();
        ContainerBuilder plugin = new ContainerBuilder()
                .withName(PLUGIN_CONTAINER)
                .withImage(jar ? settings.jarImage() : version.runtime().image())
                .addNewPort().withName("http").withContainerPort(settings.pluginPort()).endPort()
                .withEnv(pluginEnvironment(target, version.version(), settings.pluginPort()))
                .withResources(resources(version))
                .withNewReadinessProbe().withNewHttpGet().withPath(version.healthCheck().path()).withNewPort("http")
                .endHttpGet().withTimeoutSeconds(version.healthCheck().timeoutSeconds()).withPeriodSeconds(5)
                .endReadinessProbe()
                .withSecurityContext(restricted());
        if (jar) {
            plugin.withCommand("java", "-jar", JAR_PATH)
                    .addNewVolumeMount().withName(BINARY_VOLUME).withMountPath("/plugin").withReadOnly(true).endVolumeMount();
            pod.addNewVolume().withName(BINARY_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                    .withInitContainers(fetchBinary(name, version, settings));
        }
        pod.withContainers(plugin.build());
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(podLabels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(managed(podLabels)).endMetadata()
                .withSpec(pod.build()).endTemplate()
                .endSpec().build();
    }

    /** The download the init container makes, in a Secret: it is renewed before it expires without touching the pods. */
    static Secret binarySecret(String deploymentName, DeploymentTarget target, BinaryUrls.Download download,
                               Instant expires) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("url", download.url().toString());
        data.put("token", download.bearerToken() == null ? "" : download.bearerToken());
        return new SecretBuilder()
                .withNewMetadata().withName(binarySecretName(deploymentName)).withLabels(managed(targetSelector(target)))
                .addToAnnotations(EXPIRES_ANNOTATION, expires.toString()).endMetadata()
                .withStringData(data).build();
    }

    private static Container fetchBinary(String deploymentName, PluginVersionSpec version,
                                         KubernetesRuntimeProperties settings) {
        String secret = binarySecretName(deploymentName);
        return new ContainerBuilder()
                .withName("fetch-binary")
                .withImage(settings.fetchImage())
                .withCommand("sh", "-c", "curl -fsS --retry 3 ${BINARY_TOKEN:+-H \"Authorization: Bearer $BINARY_TOKEN\"}"
                        + " -o " + JAR_PATH + " \"$BINARY_URL\" && echo \"$BINARY_SHA256  " + JAR_PATH + "\" | sha256sum -c -")
                .withEnv(secretValue("BINARY_URL", secret, "url"), secretValue("BINARY_TOKEN", secret, "token"),
                        new EnvVar("BINARY_SHA256", version.binary().sha256(), null))
                .addNewVolumeMount().withName(BINARY_VOLUME).withMountPath("/plugin").endVolumeMount()
                .withResources(new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("64Mi"))
                        .addToLimits("cpu", new Quantity("100m")).addToLimits("memory", new Quantity("64Mi")).build())
                .withSecurityContext(restricted())
                .build();
    }

    /** As in the local runtime; the instance id is the pod's name. */
    private static List<EnvVar> pluginEnvironment(DeploymentTarget target, String version, int port) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("PLUGIN_PORT", Integer.toString(port), null));
        env.add(new EnvVarBuilder().withName("PLUGIN_INSTANCE_ID")
                .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(new EnvVar("PLUGIN_VERSION", version, null));
        env.add(new EnvVar("PLUGIN_TENANT_ID", target.tenantId(), null));
        return env;
    }

    /** Requests and limits alike: the tenant's quota counts exactly what a deployment reserved. */
    private static ResourceRequirements resources(PluginVersionSpec version) {
        Quantity cpu = new Quantity(Math.round(version.resources().cpu() * 1000) + "m");
        Quantity memory = new Quantity(version.resources().memoryMB() + "Mi");
        return new ResourceRequirementsBuilder().addToRequests("cpu", cpu).addToRequests("memory", memory)
                .addToLimits("cpu", cpu).addToLimits("memory", memory).build();
    }

    private static SecurityContext restricted() {
        return new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    private static EnvVar secretValue(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
                .endSecretKeyRef().endValueFrom().build();
    }

    private static Map<String, String> managed(Map<String, String> labels) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(TenantObjects.MANAGED_BY_LABEL, TenantObjects.MANAGED_BY);
        return all;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
