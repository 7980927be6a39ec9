package io.hotswap.ops.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.ops.runtime.kubernetes.KubernetesPluginRuntime;
import io.hotswap.ops.runtime.kubernetes.KubernetesPluginRuntimeContractTest;
import io.hotswap.ops.support.ManualClock;
import io.hotswap.ops.support.MockCluster;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.tenant.TenantSpec;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * k8s/rbac.yaml's ClusterRole grants exactly what the server asks of the cluster: the tenant provisioner and the
 * Kubernetes runtime do all they do against the mock API server, every request they make is read as the RBAC verb
 * it needs, and the two sets must be equal (a request not granted fails in production; a grant never used is more
 * power than needed).
 */
class ClusterRoleTest {

    private static final Path RBAC = Path.of("..", "k8s", "rbac.yaml");

    @Test
    void theClusterRoleGrantsExactlyWhatTheCodeAsks() throws IOException {
        Set<String> asked = new ConcurrentSkipListSet<>();
        try (MockCluster cluster = new MockCluster();
             KubernetesClient recorded = recordingClient(cluster, asked)) {
            TenantSpec acme = new TenantSpec("tenant-acme", "acme", new TenantQuotas(5, 8.0, 16));
            KubernetesTenantProvisioner provisioner = new KubernetesTenantProvisioner(recorded);
            for (int twice = 0; twice < 2; twice++) { // the second time every object exists: patches
                for (TenantClusterObject object : TenantClusterObject.values()) provisioner.provision(object, acme);
            }

            ManualClock clock = new ManualClock();
            KubernetesPluginRuntime runtime = KubernetesPluginRuntimeContractTest.runtimeOn(recorded, clock);
            DeploymentTarget target = new DeploymentTarget("tenant-acme", "payment-stripe", "Production");
            runtime.scale(target, KubernetesPluginRuntimeContractTest.jar("1.0.0"), 2);
            clock.advance(Duration.ofMinutes(31)); // the binary download's Secret is renewed from half its validity
            runtime.scale(target, KubernetesPluginRuntimeContractTest.image("2.0.0", "registry.example.com/p:2"), 1);
            runtime.scale(target, KubernetesPluginRuntimeContractTest.jar("1.0.0"), 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.running(target).getOrDefault("1.0.0", 0) == 3);
            String instance = runtime.check(target, "1.0.0").get(0).instanceId();
            runtime.replace(target, instance);
            runtime.scale(target, KubernetesPluginRuntimeContractTest.image("2.0.0", "registry.example.com/p:2"), 0);
            runtime.scale(target, KubernetesPluginRuntimeContractTest.jar("1.0.0"), 0);
        }

        assertThat(granted()).isEqualTo(new TreeSet<>(asked));
    }

    /** A client of the mock cluster that notes the RBAC verb of every request it sends. */
    private static KubernetesClient recordingClient(MockCluster cluster, Set<String> asked) {
        Interceptor recorder = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String grant = grantFor(request.method(), request.uri().getPath(), request.uri().getQuery());
                if (grant != null) asked.add(grant);
            }
        };
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(cluster.url()).withTrustCerts(true).withHttp2Disable(true).build())
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("rbac", recorder)).build();
    }

    /**
     * {@code group/resource:verb} as RBAC reads a request: {@code /api/v1/namespaces/acme/pods/p} is the core group's
     * pods, {@code /apis/apps/v1/...} the apps group's; GET on a collection is list (or watch), on a name get.
     * Requests outside the API's resources ({@code /version}) need no grant.
     */
    static String grantFor(String method, String path, String query) {
        String[] parts = path.replaceFirst("^/", "").split("/");
        int resourceAt;
        String group;
        if (parts[0].equals("api") && parts.length > 2) {
            group = "";
            resourceAt = 2;
        } else if (parts[0].equals("apis") && parts.length > 3) {
            group = parts[1];
            resourceAt = 3;
        } else {
            return null;
        }
        if (parts.length > resourceAt + 2 && parts[resourceAt].equals("namespaces")) resourceAt += 2;
        String resource = parts[resourceAt];
        boolean named = parts.length > resourceAt + 1;
        if (parts.length > resourceAt + 2) resource += "/" + parts[resourceAt + 2]; // a subresource
        String verb = switch (method) {
            case "GET" -> named ? "get" : query != null && query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new AssertionError("unexpected method " + method + " " + path);
        };
        return group + "/" + resource + ":" + verb;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> granted() throws IOException {
        Set<String> grants = new TreeSet<>();
        try (Reader reader = Files.newBufferedReader(RBAC)) {
            for (Object document : new Yaml().loadAll(reader)) {
                Map<String, Object> object = (Map<String, Object>) document;
                if (!"ClusterRole".equals(object.get("kind"))) continue;
                for (Map<String, List<String>> rule : (List<Map<String, List<String>>>) object.get("rules")) {
                    for (String group : rule.get("apiGroups")) {
                        for (String resource : rule.get("resources")) {
                            for (String verb : rule.get("verbs")) grants.add(group + "/" + resource + ":" + verb);
                        }
                    }
                }
            }
        }
        return grants;
    }
}
