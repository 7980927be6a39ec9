package io.hotswap.ops.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.MainProcess;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The alert rules and the dashboard on a real Prometheus (the Debian package's binary, on a free port, scraping the
 * real server's management port every second with k8s/alert-rules.yaml loaded as it is): TenantQuotaExceeded fires
 * once a tenant uses more than 90 % of a quota, PluginUnhealthy once a deployed plugin has been unhealthy for its 2
 * minutes and not before; every dashboard panel's query and every rule's expression parses and names only metrics the
 * server exposes. About three minutes, two of them PluginUnhealthy's {@code for: 2m}; the rest is starting the server.
 */
class PrometheusAlertsTest {

    /** Grafana's variables, as concrete durations Prometheus takes. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval", "1m", "$__interval", "15s", "$__range", "5m");
    private static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();

    @TempDir
    static Path temp;

    private static ConfigurableApplicationContext server;
    private static Process prometheus;
    private static Http prometheusApi;
    private static Path prometheusLog;
    /** When the plugin's health turned bad (the file that makes it answer 500 appeared). */
    private static Instant unhealthySince;

    @BeforeAll
    static void startServerAndPrometheusAndProvokeTheAlerts() throws Exception {
        server = TestServers.start("--spring.datasource.url=" + TestDatabase.create(),
                "--Data.Directory=" + temp.resolve("data"), "--RateLimiting.DefaultRequestsPerMinute=1000000");
        startPrometheus(Integer.parseInt(server.getEnvironment().getProperty("local.management.port")));

        Http http = TestServers.http(server);
        String admin = TestServers.admin(server);
        // TenantQuotaExceeded: two instances of half a core fill the tenant's one core
        created(http.postJson("/api/v1/tenants", admin, """
                {"tenantId": "tenant-alerts", "name": "Alerts", "namespace": "alerts",
                 "quotas": {"maxPlugins": 5, "maxCpu": 1.0, "maxMemoryGB": 16}}"""));
        Path unhealthyMarker = temp.resolve("flaky-is-unhealthy");
        created(http.postMultipart("/api/v1/plugins", admin, Http.Part.text("pluginId", "flaky"),
                Http.Part.text("name", "Flaky"), Http.Part.text("version", "1.0.0"),
                Http.Part.file("binary", "flaky.jar", SamplePlugins.unhealthyWhile(unhealthyMarker)),
                Http.Part.file("metadata", "plugin-metadata.json",
                        "{\"resources\": {\"cpu\": 0.5, \"memoryMB\": 256}}".getBytes())));
        String flaky = started(http.postJson("/api/v1/plugin-deployments", admin, ServerTest.deploymentJson(
                "tenant-alerts", "flaky", "1.0.0", 2, "\"stages\": \"100\", \"healthCheckInterval\": \"1\"")));
        // a deployment under way, so that the stuck-deployment gauge has a series to scrape
        created(http.postJson("/api/v1/tenants", admin, ServerTest.tenantJson("tenant-steady", "steady")));
        created(http.postMultipart("/api/v1/plugins", admin, Http.Part.text("pluginId", "steady"),
                Http.Part.text("name", "Steady"), Http.Part.text("version", "1.0.0"),
                Http.Part.file("binary", "steady.jar", SamplePlugins.healthy())));
        String heldInItsFirstStage = "\"stageInterval\": \"86400\", \"healthCheckInterval\": \"86400\","
                + " \"progressDeadline\": \"86400\"";
        started(http.postJson("/api/v1/plugin-deployments", admin, ServerTest.deploymentJson("tenant-steady", "steady",
                "1.0.0", 1, heldInItsFirstStage)));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> http.get(
                "/api/v1/plugin-deployments/" + flaky, admin).json().path("status").asText().equals("Completed"));
        // PluginUnhealthy: the completed deployment's supervision checks every second, and finds it answering 500
        Files.createFile(unhealthyMarker);
        unhealthySince = Instant.now();
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
        }
        if (server != null) server.close(); // stops the plugins' processes too
    }

    @Test
    void tenantQuotaExceededAndPluginUnhealthyFireAndPluginUnhealthyOnlyAfterTwoMinutes() {
        Set<String> statesOfPluginUnhealthy = new HashSet<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<String, JsonNode> alerts = alerts();
            JsonNode unhealthy = alerts.get("PluginUnhealthy");
            if (unhealthy != null) statesOfPluginUnhealthy.add(unhealthy.path("state").asText());
            return firing(alerts.get("TenantQuotaExceeded")) && firing(unhealthy);
        });
        Duration unhealthyFor = Duration.between(unhealthySince, Instant.now());

        Map<String, JsonNode> alerts = alerts();
        assertThat(alerts.keySet()).as("no other alert fires")
                .containsExactlyInAnyOrder("TenantQuotaExceeded", "PluginUnhealthy");
        assertThat(labels(alerts.get("TenantQuotaExceeded"))).containsEntry("tenant", "tenant-alerts")
                .containsEntry("resource", "cpu").containsEntry("severity", "warning");
        assertThat(labels(alerts.get("PluginUnhealthy"))).containsEntry("tenant", "tenant-alerts")
                .containsEntry("plugin", "flaky").containsEntry("environment", "Production")
                .containsEntry("severity", "critical");
        assertThat(alerts.get("PluginUnhealthy").path("annotations").path("description").asText())
                .isEqualTo("2 instance(s) of plugin flaky of tenant tenant-alerts in Production unhealthy for 2 minutes"
                        + " or more.");
        assertThat(statesOfPluginUnhealthy).as("pending before it fired").contains("pending");
        assertThat(unhealthyFor).as("PluginUnhealthy fired only after its 2 minutes")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void everyDashboardQueryAndRuleParsesAndNamesOnlyMetricsTheServerExposes() throws IOException {
        List<String> dashboardQueries = dashboardQueries();
        List<String> ruleExpressions = ruleExpressions();
        for (String query : dashboardQueries) assertEvaluates(query);
        for (String expression : ruleExpressions) assertEvaluates(expression);

        Set<String> named = new TreeSet<>();
        dashboardQueries.forEach(query -> named.addAll(metricNames(query)));
        ruleExpressions.forEach(expression -> named.addAll(metricNames(expression)));
        assertThat(named).contains("plugin_instances_unhealthy", "plugin_deployment_last_event_timestamp_seconds",
                "tenant_resource_usage", "api_request_duration_seconds_bucket"); // the name extraction works
        // every metric, once the server has had a deployment, health checks and API requests, and Prometheus scraped it
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(scrapedMetricNames()).containsAll(named));
    }

    // --- Prometheus

    private static void startPrometheus(int managementPort) throws IOException {
        try {
            new ProcessBuilder("prometheus", "--version").redirectErrorStream(true).start().waitFor();
        } catch (IOException | InterruptedException notFound) {
            fail("prometheus is missing (the server binary, for this test): apt-get install prometheus");
        }
        int port = MainProcess.freePort();
        Path config = Files.writeString(temp.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: plugin-manager
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(K8S.resolve("alert-rules.yaml"), managementPort));
        prometheusLog = Path.of("target", "prometheus-alerts-test.log").toAbsolutePath();
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + temp.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start();
        prometheusApi = new Http(port);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (!prometheus.isAlive()) fail("prometheus exited: " + Files.readString(prometheusLog));
                    return prometheusApi.get("/-/ready", null).status() == 200;
                });
    }

    /** The active alerts (pending or firing), by name; each rule here has at most one. */
    private static Map<String, JsonNode> alerts() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode alert : success(prometheusApi.get("/api/v1/alerts", null)).path("alerts")) {
            JsonNode before = byName.put(alert.path("labels").path("alertname").asText(), alert);
            assertThat(before).as("one alert per rule: %s", alert).isNull();
        }
        return byName;
    }

    private static boolean firing(JsonNode alert) {
        return alert != null && alert.path("state").asText().equals("firing");
    }

    private static Map<String, String> labels(JsonNode alert) {
        Map<String, String> labels = new LinkedHashMap<>();
        alert.path("labels").fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        return labels;
    }

    private static Set<String> scrapedMetricNames() {
        JsonNode names = success(prometheusApi.get("/api/v1/label/__name__/values", null));
        return StreamSupport.stream(names.spliterator(), false).map(JsonNode::asText).collect(Collectors.toSet());
    }

    /** Prometheus evaluates the expression: it parses, and its functions and types fit together. */
    private static void assertEvaluates(String expression) {
        Http.Response response = prometheusApi.get("/api/v1/query?query="
                + URLEncoder.encode(expression, StandardCharsets.UTF_8), null);
        assertThat(response.status()).as("Prometheus on %s: %s", expression, response.bodyText()).isEqualTo(200);
    }

    private static JsonNode success(Http.Response response) {
        assertThat(response.status()).as("Prometheus said: %s", response).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("success");
        return response.json().path("data");
    }

    // --- what the dashboard and the rules query

    /** Every panel's queries, Grafana's variables replaced; the panels are the guide's six. */
    private static List<String> dashboardQueries() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode configMap = json.readTree(K8S.resolve("grafana-dashboard.json").toFile());
        JsonNode dashboard = json.readTree(configMap.path("data").path("plugin-manager.json").asText());
        List<String> titles = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            titles.add(panel.path("title").asText());
            assertThat(panel.path("targets")).as("targets of %s", panel.path("title")).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String query = target.path("expr").asText();
                for (var variable : GRAFANA_VARIABLES.entrySet()) {
                    query = query.replace(variable.getKey(), variable.getValue());
                }
                assertThat(query).as("a Grafana variable left in %s", query).doesNotContain("$");
                queries.add(query);
            }
        }
        assertThat(titles).containsExactly("Plugin Deployment Success Rate", "Average Deployment Duration",
                "Plugin Health Status", "Tenant Resource Usage", "API Response Times", "Error Rates");
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ruleExpressions() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(K8S.resolve("alert-rules.yaml")));
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                expressions.add((String) rule.get("expr"));
            }
        }
        return expressions;
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_LISTS = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)|\\{[^}]*}|\\[[^\\]]*\\]");
    /** A name not after a letter, digit or dot (so not the "e3" of 1e3, the "m" of 5m), not a function call. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][\\w:]*+)(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

    /** The metric names a PromQL expression selects: what is left once strings, label lists and ranges are gone. */
    static Set<String> metricNames(String expression) {
        String selectors = LABEL_LISTS.matcher(STRING.matcher(expression).replaceAll("\"\"")).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(selectors);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group(1).toLowerCase())) names.add(name.group(1));
        }
        return names;
    }

    // --- the server

    private static void created(Http.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(201);
    }

    private static String started(Http.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        return response.json().path("deploymentId").asText();
    }
}
