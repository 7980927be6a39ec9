package io.hotswap.ops.metrics;

import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Prometheus;
import io.hotswap.ops.support.ServerTest;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalManagementPort;

import java.time.Duration;
import java.time.Instant;

import static io.hotswap.ops.support.Prometheus.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The guide's tenant and API metrics on the management port, with its names and labels and the read models' numbers,
 * and the deployment board's gauges the alerts use.
 */
@AutoConfigureObservability
class GuideMetricsTest extends ServerTest {

    @LocalManagementPort
    private int managementPort;

    @Test
    void tenantsQuotasUsageAndApiRequestsAreOnThePrometheusEndpoint() {
        String busy = createTenant("tenant-metrics-busy", "metrics-busy");
        String idle = createTenant("tenant-metrics-idle", "metrics-idle");
        await().atMost(Duration.ofSeconds(15)).until(() -> status(busy).equals("Active") && status(idle).equals("Active"));
        assertThat(registerPlugin("metered", "1.0.0", SamplePlugins.healthy(),
                "{\"resources\": {\"cpu\": 0.5, \"memoryMB\": 512}}").status()).isEqualTo(201);
        awaitProjections();
        String held = startDeployment(busy, "metered", "1.0.0", "Production"); // 4 instances of 0.5 cpu and 512 MB
        assertThat(http.get("/api/v1/plugins/no-such-plugin", admin).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/plugins/metered", admin).status()).isEqualTo(200);

        assertThat(http.get("/api/v1/tenants/" + idle, null).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/nowhere/" + idle, admin).status()).isEqualTo(404);

        String metrics = scrape();

        long active = jdbc.sql("SELECT count(*) FROM tenant_view WHERE status = 'Active'").query(Long.class).single();
        assertThat(active).isGreaterThanOrEqualTo(2);
        assertThat(metrics).contains("# TYPE tenants_active_total counter", "tenants_active_total " + active + ".0");
        assertThat(sample(metrics, "plugins_per_tenant{tenant=\"tenant-metrics-busy\"}")).isEqualTo(1);
        assertThat(sample(metrics, "plugins_per_tenant{tenant=\"tenant-metrics-idle\"}")).isEqualTo(0);
        for (String name : new String[]{"resource_usage", "tenant_resource_usage"}) {
            assertThat(sample(metrics, name + "{resource=\"cpu\",tenant=\"tenant-metrics-busy\"}")).isEqualTo(2.0);
            assertThat(sample(metrics, name + "{resource=\"memory\",tenant=\"tenant-metrics-busy\"}")).isEqualTo(2.0);
            assertThat(sample(metrics, name + "{resource=\"cpu\",tenant=\"tenant-metrics-idle\"}")).isEqualTo(0);
        }
        assertThat(sample(metrics, "tenant_resource_usage{resource=\"plugins\",tenant=\"tenant-metrics-busy\"}")).isEqualTo(1);
        // the quotas ServerTest.tenantJson gives every tenant
        assertThat(sample(metrics, "tenant_quota{resource=\"cpu\",tenant=\"tenant-metrics-busy\"}")).isEqualTo(8);
        assertThat(sample(metrics, "tenant_quota{resource=\"memory\",tenant=\"tenant-metrics-busy\"}")).isEqualTo(16);
        assertThat(sample(metrics, "tenant_quota{resource=\"plugins\",tenant=\"tenant-metrics-busy\"}")).isEqualTo(5);

        // the deployment board's gauges for the alerts PluginDeploymentStuck and PluginUnhealthy
        double lastEvent = Instant.parse(http.get("/api/v1/plugin-deployments/" + held, admin).json().get("updatedAt")
                .asText()).toEpochMilli() / 1000.0;
        assertThat(sample(metrics, "plugin_deployment_last_event_timestamp_seconds{deployment_id=\"" + held
                + "\",environment=\"Production\",plugin=\"metered\",status=\"InProgress\",tenant=\"tenant-metrics-busy\"}"))
                .isCloseTo(lastEvent, within(0.001));
        assertThat(sample(metrics, "plugin_instances_unhealthy{environment=\"Production\",plugin=\"metered\",tenant=\"tenant-metrics-busy\"}"))
                .as("not checked yet: none known unhealthy").isEqualTo(0);

        assertThat(sample(metrics, "api_requests_total{endpoint=\"/api/v1/plugins/{pluginId}\",status=\"404\"}")).isEqualTo(1);
        assertThat(sample(metrics, "api_requests_total{endpoint=\"/api/v1/plugins/{pluginId}\",status=\"200\"}")).isEqualTo(1);
        assertThat(sample(metrics, "api_requests_total{endpoint=\"/api/v1/tenants\",status=\"201\"}")).isGreaterThanOrEqualTo(2);
        assertThat(sample(metrics, "api_requests_total{endpoint=\"/api/v1/tenants/{tenantId}\",status=\"401\"}")).isEqualTo(1);
        assertThat(sample(metrics, "api_requests_total{endpoint=\"/**\",status=\"404\"}")).as("no route matched").isEqualTo(1);
        assertThat(metrics).as("route templates only, never a raw id").doesNotContain("endpoint=\"/api/v1/plugins/metered\"",
                "endpoint=\"/api/v1/plugins/no-such-plugin\"", "/api/v1/nowhere");
        assertThat(metrics).contains("# TYPE api_request_duration_seconds histogram",
                "api_request_duration_seconds_bucket{endpoint=\"/api/v1/plugins/{pluginId}\",le=\"0.005\"}",
                "api_request_duration_seconds_bucket{endpoint=\"/api/v1/plugins/{pluginId}\",le=\"+Inf\"} 2");
        assertThat(metrics).as("probes and the actuator are not API requests").doesNotContain("endpoint=\"/health\"",
                "endpoint=\"/actuator");
        assertThat(metrics).as("a request is timed once, by the guide's meters").doesNotContain("http_server_requests");
        assertThat(metrics).as("the plugin runtime's calls keep Spring Boot's timers")
                .contains("plugin_runtime_seconds_count{error=\"none\",operation=\"scale\"}");
    }

    @Test
    void projectionLagCountsTheEventsAProcessorHasNotHandledAndHowLongTheOldestWaited() {
        StreamingEventProcessor auditTrail = processing.eventProcessor("audit-trail", StreamingEventProcessor.class).orElseThrow();
        createTenant("tenant-metrics-lag", "metrics-lag");
        await().atMost(Duration.ofSeconds(15)).until(() -> status("tenant-metrics-lag").equals("Active"));
        // a segment with nothing to handle in a batch stores its position when it next extends its claim (2 s)
        await().atMost(Duration.ofSeconds(10)).until(() -> sample(scrape(), "projection_lag_events{projection=\"audit-trail\"}") == 0);

        auditTrail.shutDown();
        try {
            long before = storedEvents();
            createTenant("tenant-metrics-lag-2", "metrics-lag-2");
            long behind = storedEvents() - before;
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = scrape();
                assertThat(sample(metrics, "projection_lag_seconds{projection=\"audit-trail\"}")).isGreaterThanOrEqualTo(1);
                assertThat(sample(metrics, "projection_lag_events{projection=\"audit-trail\"}")).isGreaterThanOrEqualTo(behind);
                assertThat(sample(metrics, "projection_lag_events{projection=\"tenant-view\"}")).isZero();
                assertThat(sample(metrics, "projection_lag_seconds{projection=\"tenant-view\"}")).isZero();
            });
        } finally {
            auditTrail.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sample(scrape(), "projection_lag_events{projection=\"audit-trail\"}") == 0
                && sample(scrape(), "projection_lag_seconds{projection=\"audit-trail\"}") == 0);
    }

    private String status(String tenantId) {
        return http.get("/api/v1/tenants/" + tenantId, admin).json().get("status").asText();
    }

    private String scrape() {
        return Prometheus.scrape(managementPort);
    }
}
