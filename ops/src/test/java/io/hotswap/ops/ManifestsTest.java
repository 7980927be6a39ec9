package io.hotswap.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests in k8s/ are checked offline, so one that a cluster would refuse fails the build: k8s/validate.mjs
 * validates every object against the Kubernetes schemas (npm kubernetes-models) and checks their consistency, and
 * promtool checks the alert rules, both the plain rules file and the PrometheusRule's groups, and runs their unit tests
 * (k8s/alert-rules.test.yaml). A missing tool fails (never skips) with what to install; .ci/run installs all of it.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();

    @Test
    void everyManifestValidatesAgainstTheKubernetesSchemas() throws Exception {
        requireTool("node", "--version", "Node.js 20+ is needed to validate k8s/: apt-get install nodejs npm");
        if (!Files.isDirectory(K8S.resolve("node_modules/kubernetes-models"))) {
            fail("k8s/node_modules is missing: run `npm ci` in k8s/ (.ci/run does it before `mvn -B test`)");
        }
        Result result = run(List.of("node", "validate.mjs"));
        assertThat(result.exitCode()).as("node k8s/validate.mjs said:%n%s", result.output()).isZero();
    }

    @Test
    void alertRulesPassPromtool(@TempDir Path temp) throws Exception {
        requireTool("promtool", "--version", "promtool is needed to check the alert rules: apt-get install prometheus");
        Result rulesFile = run(List.of("promtool", "check", "rules", "alert-rules.yaml"));
        assertThat(rulesFile.exitCode()).as("promtool check rules k8s/alert-rules.yaml said:%n%s", rulesFile.output())
                .isZero();

        // The PrometheusRule's spec is a rules file too.
        Map<String, Object> prometheusRule =
                new Yaml().load(Files.readString(K8S.resolve("prometheus-rule.yaml"), StandardCharsets.UTF_8));
        assertThat(prometheusRule).containsEntry("kind", "PrometheusRule");
        Path groups = temp.resolve("prometheus-rule-groups.yaml");
        Files.writeString(groups, new Yaml().dump(prometheusRule.get("spec")), StandardCharsets.UTF_8);
        Result spec = run(List.of("promtool", "check", "rules", groups.toString()));
        assertThat(spec.exitCode()).as("promtool check rules on the spec of k8s/prometheus-rule.yaml said:%n%s",
                spec.output()).isZero();
    }

    @Test
    void alertRulesPassTheirUnitTests() throws Exception {
        requireTool("promtool", "--version", "promtool is needed to test the alert rules: apt-get install prometheus");
        Result tests = run(List.of("promtool", "test", "rules", "alert-rules.test.yaml"));
        assertThat(tests.exitCode()).as("promtool test rules k8s/alert-rules.test.yaml said:%n%s", tests.output())
                .isZero();
    }

    private static void requireTool(String command, String versionFlag, String howToInstall) throws Exception {
        try {
            if (run(List.of(command, versionFlag)).exitCode() == 0) {
                return;
            }
        } catch (IOException notFound) {
            // falls through to the failure below
        }
        fail(command + " is missing. " + howToInstall);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(K8S.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // the output is small; reading it to the end also waits for the process to close it
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 2 minutes:%n" + output);
        }
        return new Result(process.exitValue(), output);
    }
}
