package io.hotswap.ops.tracing;

import io.hotswap.ops.bench.SamplePlugins;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.OtlpReceiver;
import io.hotswap.ops.support.OtlpReceiver.ReceivedSpan;
import io.hotswap.ops.support.ServerProcess;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code TELEMETRY_JAEGER_ENABLED=true} with {@code TELEMETRY_JAEGER_ENDPOINT} at an OTLP receiver, as an operator
 * points the server at Jaeger: one deployment request is one trace, from the REST call through the command, the
 * stored event and the saga's reaction to the plugin runtime starting the instance, each with the request's
 * correlation id.
 */
class TracingTest {

    @TempDir
    Path data;

    @Test
    void oneTraceFollowsADeploymentFromTheRequestToThePluginRuntime() throws Exception {
        String database = TestDatabase.create();
        try (OtlpReceiver jaeger = OtlpReceiver.start();
             ServerProcess server = new ServerProcess(data, database, "tracing", Map.of(
                     "TELEMETRY_JAEGER_ENABLED", "true",
                     "TELEMETRY_JAEGER_ENDPOINT", jaeger.endpoint(),
                     "MANAGEMENT_TRACING_OPENTELEMETRY_EXPORT_SCHEDULEDELAY", "100ms"))) {
            Files.deleteIfExists(server.log());
            server.start();
            Http http = server.http();
            String admin = server.adminToken();
            ServerTest.createTenant(http, admin, "tenant-traced", "traced");
            assertThat(ServerTest.registerPlugin(http, admin, "traced", "1.0.0", SamplePlugins.healthy(), "{}").status())
                    .isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/plugins/traced", admin).status() == 200);

            Http.Response started = http.postJson("/api/v1/plugin-deployments", admin, ServerTest.deploymentJson(
                    "tenant-traced", "traced", "1.0.0", 1, "\"stageInterval\": \"86400\""));
            assertThat(started.status()).isEqualTo(202);
            String correlationId = started.header("X-Correlation-Id");

            // the runtime's span ends before the saga's that encloses it: wait until its whole ancestry has arrived
            List<ReceivedSpan> chain = await().atMost(Duration.ofSeconds(60)).until(() -> jaeger.spans().stream()
                    .filter(span -> span.name().equals("plugin-runtime.scale"))
                    .filter(span -> correlationId.equals(span.attributes().get("correlationId")))
                    .map(scale -> ancestry(jaeger.spans(), scale)).flatMap(Optional::stream).findFirst(),
                    Optional::isPresent).get();
            Map<String, ReceivedSpan> byName = chain.stream()
                    .collect(Collectors.toMap(ReceivedSpan::name, Function.identity(), (first, second) -> first));
            assertThat(chain).extracting(ReceivedSpan::name).as("the scale's ancestry, from the trace's root")
                    .containsSubsequence("http post /api/v1/plugin-deployments",
                            "CommandBus.handleCommand(StartDeploymentCommand)",
                            "EventBus.publishEvent(DeploymentStarted)",
                            "StreamingEventProcessor.process(DeploymentStageAdvanced)",
                            "SagaManager.invokeSaga(DeploymentSaga)(DeploymentStageAdvanced)",
                            "plugin-runtime.scale");
            for (String name : List.of("http post /api/v1/plugin-deployments",
                    "CommandBus.handleCommand(StartDeploymentCommand)", "EventBus.publishEvent(DeploymentStarted)",
                    "SagaManager.invokeSaga(DeploymentSaga)(DeploymentStageAdvanced)", "plugin-runtime.scale")) {
                assertThat(byName.get(name).attributes()).as(name).containsEntry("correlationId", correlationId);
            }
            assertThat(byName.get("plugin-runtime.scale").attributes())
                    .containsEntry("tenant", "tenant-traced").containsEntry("plugin", "traced");

            assertThat(jaeger.spans()).as("probes are traced but not exported")
                    .noneMatch(span -> span.attributes().getOrDefault("http.url", "").equals("/health"));
            assertThat(Files.readString(server.log())).doesNotContain("legacy Thrift collector");
        } finally {
            TestDatabase.drop(database);
        }
    }

    /** The span and its ancestors, from the trace's root; empty while one of them has not arrived yet. */
    private static Optional<List<ReceivedSpan>> ancestry(List<ReceivedSpan> received, ReceivedSpan span) {
        Map<String, ReceivedSpan> ofItsTrace = received.stream().filter(other -> other.traceId().equals(span.traceId()))
                .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (first, second) -> first));
        LinkedList<ReceivedSpan> chain = new LinkedList<>();
        for (ReceivedSpan at = span; at != null; at = ofItsTrace.get(at.parentSpanId())) {
            chain.addFirst(at);
            if (at.parentSpanId().isEmpty()) return Optional.of(chain);
        }
        return Optional.empty();
    }
}
