package io.hotswap.ops.support;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.hotswap.ops.kubernetes.TenantObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * fabric8's mock API server in CRUD mode with a stand-in for the controllers and kubelets it lacks: every 50 ms each
 * Deployment gets exactly its replica count of Pods, which start at once: Ready, or, when an image's name contains
 * {@value #FAILING_IMAGE}, running never (CrashLoopBackOff, restarted three times). Pods whose Deployment is gone go
 * too (the garbage collector's part). It counts the requests it answers by the client's {@code User-Agent}.
 */
public final class MockCluster implements AutoCloseable {

    public static final String FAILING_IMAGE = "failing";
    private static final Logger log = LoggerFactory.getLogger(MockCluster.class);

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Map<String, Map<String, LongAdder>> requestsByAgent = new ConcurrentHashMap<>();
    private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mock-kubelet");
        thread.setDaemon(true);
        return thread;
    });

    public MockCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                counting(new KubernetesCrudDispatcher()), false);
        server.init();
        client = server.createClient();
        kubelet.scheduleWithFixedDelay(this::reconcileQuietly, 0, 50, TimeUnit.MILLISECONDS);
    }

    public KubernetesClient client() {
        return client;
    }

    /** The API server's URL, for a client of the server under test. */
    public String url() {
        return client.getMasterUrl().toString();
    }

    /** How many requests clients sending this {@code User-Agent} have made so far, by HTTP method. */
    public Map<String, Long> requestsFrom(String userAgent) {
        Map<String, Long> byMethod = new TreeMap<>();
        requestsByAgent.getOrDefault(userAgent, Map.of()).forEach((method, count) -> byMethod.put(method, count.sum()));
        return byMethod;
    }

    private Dispatcher counting(Dispatcher crud) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requestsByAgent.computeIfAbsent(String.valueOf(request.getHeader("User-Agent")), agent -> new ConcurrentHashMap<>())
                        .computeIfAbsent(request.getMethod(), method -> new LongAdder()).increment();
                return crud.dispatch(request);
            }

            @Override
            public void shutdown() {
                crud.shutdown();
            }
        };
    }

    /**
     * The environment that runs a separate-JVM server ({@link ServerProcess}) on the Kubernetes runtime against the API
     * server at {@code url}: fabric8 reads its settings from environment variables too. HTTP/1.1 only: the mock's
     * Vert.x fails the JDK client's h2c upgrade.
     */
    public static Map<String, String> serverEnvironment(String url) {
        return Map.of("RUNTIME_PROVIDER", "Kubernetes", "KUBERNETES_MASTER", url,
                "KUBERNETES_AUTH_TRYKUBECONFIG", "false", "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
                "KUBERNETES_TRUST_CERTIFICATES", "true", "HTTP2_DISABLE", "true");
    }

    /** What the tenant provisioner makes first: the tenant's namespace, found by its {@code tenant} label. */
    public void createTenantNamespace(String tenantId, String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels(TenantObjects.TENANT_LABEL, tenantId).endMetadata().build()).create();
    }

    @Override
    public void close() {
        kubelet.shutdownNow();
        client.close();
        server.destroy();
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            log.debug("mock kubelet: {}", e.getMessage());
        }
    }

    private void reconcile() {
        List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
        Set<String> owners = deployments.stream().map(d -> d.getMetadata().getNamespace() + "/" + d.getMetadata().getName())
                .collect(Collectors.toSet());
        for (Deployment deployment : deployments) {
            String namespace = deployment.getMetadata().getNamespace();
            List<Pod> pods = client.pods().inNamespace(namespace)
                    .withLabels(deployment.getSpec().getSelector().getMatchLabels()).list().getItems();
            int replicas = deployment.getSpec().getReplicas();
            for (int i = pods.size(); i < replicas; i++) start(deployment);
            pods.stream().sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()).reversed())
                    .limit(Math.max(0, pods.size() - replicas))
                    .forEach(pod -> client.pods().inNamespace(namespace).resource(pod).delete());
        }
        client.pods().inAnyNamespace().list().getItems().stream()
                .filter(pod -> pod.getMetadata().getOwnerReferences().stream()
                        .noneMatch(owner -> owners.contains(pod.getMetadata().getNamespace() + "/" + owner.getName())))
                .forEach(pod -> client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).delete());
    }

    private void start(Deployment deployment) {
        String name = deployment.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 5);
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(deployment.getMetadata().getNamespace())
                .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .withCreationTimestamp(Instant.now().toString())
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment")
                .withName(deployment.getMetadata().getName()).withUid(deployment.getMetadata().getUid()).endOwnerReference()
                .endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec())
                .build();
        Pod created = client.pods().resource(pod).create();
        created.setStatus(status(pod));
        client.pods().resource(created).updateStatus();
    }

    private static PodStatus status(Pod pod) {
        String image = pod.getSpec().getContainers().get(0).getImage();
        String now = Instant.now().toString();
        String container = pod.getSpec().getContainers().get(0).getName();
        if (image.contains(FAILING_IMAGE)) {
            return new PodStatusBuilder().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime(now).endCondition()
                    .withContainerStatuses(new ContainerStatusBuilder().withName(container).withImage(image)
                            .withReady(false).withRestartCount(3)
                            .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                            .withMessage("back-off 40s restarting failed container").endWaiting().endState()
                            .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated()
                            .endLastState().build())
                    .build();
        }
        return new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now).endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName(container).withImage(image)
                        .withReady(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build())
                .build();
    }
}
