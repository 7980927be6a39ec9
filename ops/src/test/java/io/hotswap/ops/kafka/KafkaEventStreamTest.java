package io.hotswap.ops.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.KafkaBroker;
import io.hotswap.ops.support.ServerTest;
import io.hotswap.projections.stream.EventStreamPublisher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every stored event reaches a real (in-process KRaft) Kafka broker, as a documented envelope, in aggregate order,
 * also when the broker is stopped in the middle of a scenario and started again; and {@code /health} tells.
 */
class KafkaEventStreamTest extends ServerTest {

    private static final String TOPIC = "test.plugin-manager.events";
    private static final KafkaBroker BROKER = KafkaBroker.startWithTopic(TOPIC, 3);
    private static final ObjectMapper JSON = new ObjectMapper();
    // short, so that batches sent during the outage fail and are retried within the test's seconds
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("Kafka.BootstrapServers", BROKER::bootstrapServers);
        registry.add("Kafka.Topic", () -> TOPIC);
        registry.add("Kafka.DeliveryTimeout", DELIVERY_TIMEOUT::toString);
    }

    @AfterAll
    static void stopBroker() {
        BROKER.close();
    }

    @Autowired
    private EventProcessingConfiguration processing;
    @LocalManagementPort
    private int managementPort;

    @Test
    void publishesEveryEventInAggregateOrder() throws Exception {
        createTenant("tenant-streamed", "streamed");
        registerPlugin("streamed-plugin", "1.0.0", "streamed".getBytes(), "{}");
        String deploymentId = startDeployment("tenant-streamed", "streamed-plugin", "1.0.0", "Production");
        assertThat(http.postJson("/api/v1/plugin-deployments/" + deploymentId + "/rollback", admin,
                "{\"reason\": \"stream test\"}").status()).isEqualTo(202);
        awaitProjections();
        Set<String> stored = Set.copyOf(jdbc.sql("SELECT event_identifier FROM domain_event_entry")
                .query(String.class).list());
        List<JsonNode> received = consumeUntil(stored, Duration.ofSeconds(60));

        assertEveryStoredEventArrivedInAggregateOrder(stored, received);
        JsonNode started = received.stream().filter(e -> e.get("type").asText().equals("DeploymentStarted")
                && e.get("aggregateId").asText().equals(deploymentId)).findFirst().orElseThrow();
        assertThat(started.get("revision").asText()).isEqualTo("1");
        assertThat(started.get("aggregateType").asText()).isEqualTo("Deployment");
        assertThat(started.get("tenantId").asText()).isEqualTo("tenant-streamed");
        assertThat(Instant.parse(started.get("timestamp").asText())).isBefore(Instant.now());
        assertThat(started.at("/payload/pluginId").asText()).isEqualTo("streamed-plugin");
    }

    @Test
    void aBrokerOutageMidScenarioLosesNothingAndKeepsAggregateOrder() throws Exception {
        createTenant("tenant-outage-a", "outage-a");
        expect(201, registerPlugin("outage-plugin", "1.0.0", "outage 1.0.0".getBytes(), "{}"));
        expect(201, registerPlugin("outage-plugin", "1.1.0", "outage 1.1.0".getBytes(), "{}"));
        String first = startDeployment("tenant-outage-a", "outage-plugin", "1.0.0", "Production");
        expect(202, http.post("/api/v1/plugin-deployments/" + first + "/pause", admin, null, ""));

        BROKER.stop();
        String second;
        try {
            // REST writes do not depend on Kafka: all of these succeed while it is gone
            createTenant("tenant-outage-b", "outage-b");
            expect(201, registerPlugin("outage-other", "1.0.0", "other 1.0.0".getBytes(), "{}"));
            expect(200, http.postJson("/api/v1/plugins/outage-plugin/versions/1.1.0/status", admin,
                    "{\"status\": \"Deprecated\"}"));
            expect(202, http.post("/api/v1/plugin-deployments/" + first + "/resume", admin, null, ""));
            second = startDeployment("tenant-outage-b", "outage-other", "1.0.0", "Staging");
            awaitPublisherFailedABatch();
            // more events while the failed batch waits to be sent again from the processor's token
            expect(202, http.postJson("/api/v1/plugin-deployments/" + first + "/rollback", admin,
                    "{\"reason\": \"during the outage\"}"));
            awaitDeploymentStatus(first, "RolledBack");
            assertThat(eventStreamPosition()).as("nothing counts as published while the broker is down")
                    .isLessThan(head());
        } finally {
            BROKER.start();
        }
        Instant restarted = Instant.now();
        long headAtRestart = head();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> eventStreamPosition() >= headAtRestart);
        System.out.println("event stream caught up " + Duration.between(restarted, Instant.now()).toMillis()
                + " ms after the broker was back");

        expect(202, http.postJson("/api/v1/plugin-deployments/" + second + "/abort", admin,
                "{\"reason\": \"after the outage\"}"));
        awaitDeploymentStatus(second, "Failed");
        awaitProjections();

        Set<String> stored = Set.copyOf(jdbc.sql("SELECT event_identifier FROM domain_event_entry")
                .query(String.class).list());
        List<JsonNode> received = consumeUntil(stored, Duration.ofSeconds(30));

        assertEveryStoredEventArrivedInAggregateOrder(stored, received);
    }

    /**
     * Every stored event arrived, and each aggregate's events first arrived in their sequence order. A repeat (after a
     * broker outage, an event may be sent again) comes later; consumers de-duplicate by event id.
     */
    private void assertEveryStoredEventArrivedInAggregateOrder(Set<String> stored, List<JsonNode> received) {
        Map<String, List<String>> storedByAggregate = new HashMap<>();
        jdbc.sql("SELECT aggregate_identifier, event_identifier FROM domain_event_entry WHERE type IS NOT NULL "
                        + "ORDER BY sequence_number")
                .query(row -> {
                    if (stored.contains(row.getString(2))) {
                        storedByAggregate.computeIfAbsent(row.getString(1), id -> new ArrayList<>()).add(row.getString(2));
                    }
                });
        Set<String> missing = new HashSet<>(stored);
        received.forEach(envelope -> missing.remove(envelope.get("eventId").asText()));
        assertThat(missing).as("stored events never published").isEmpty();
        Map<String, Set<String>> firstArrivals = new HashMap<>();
        for (JsonNode envelope : received) {
            String eventId = envelope.get("eventId").asText();
            if (envelope.get("aggregateId").isNull() || !stored.contains(eventId)) continue;
            firstArrivals.computeIfAbsent(envelope.get("aggregateId").asText(), id -> new LinkedHashSet<>()).add(eventId);
        }
        storedByAggregate.forEach((aggregate, events) ->
                assertThat(firstArrivals.get(aggregate)).as(aggregate).containsExactlyElementsOf(events));
    }

    @Test
    void kafkaHealthIsUpWithTheBrokerAndDownWithinSecondsWithoutIt() {
        JsonNode up = http.get("/health", null).json();
        assertThat(up.at("/components/kafka/status").asText()).as(up.toString()).isEqualTo("UP");
        assertThat(up.at("/components/kafka/details/brokers").asInt()).isEqualTo(1);

        BROKER.stop();
        try {
            Instant asked = Instant.now();
            Http.Response down = http.get("/health", null);
            Duration answeredIn = Duration.between(asked, Instant.now());
            assertThat(down.status()).as(down.toString()).isEqualTo(503);
            assertThat(down.json().at("/components/kafka/status").asText()).isEqualTo("DOWN");
            assertThat(down.json().at("/components/kafka/details/error").asText())
                    .startsWith("Kafka did not answer within 2 s");
            assertThat(answeredIn).isLessThan(Duration.ofSeconds(4));
            Http.Response actuator = new Http(managementPort).get("/actuator/health/kafka", null);
            assertThat(actuator.status()).as(actuator.toString()).isEqualTo(503);
            assertThat(actuator.json().get("status").asText()).isEqualTo("DOWN");
        } finally {
            BROKER.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http.get("/health", null).json().at("/components/kafka/status").asText().equals("UP"));
    }

    private static void expect(int status, Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }

    private void awaitDeploymentStatus(String deploymentId, String status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> http.get(
                "/api/v1/plugin-deployments/" + deploymentId, admin).json().get("status").asText().equals(status));
    }

    /** A failed batch shows as its segment in error, then released until the processor claims it again. */
    private void awaitPublisherFailedABatch() {
        await().atMost(DELIVERY_TIMEOUT.multipliedBy(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<Integer, EventTrackerStatus> segments = publisher().processingStatus();
            return segments.isEmpty() || segments.values().stream().anyMatch(EventTrackerStatus::isErrorState);
        });
    }

    private long head() {
        return jdbc.sql("SELECT max(global_index) FROM domain_event_entry").query(Long.class).single();
    }

    /** Where the publisher's token stands: every event up to here was acknowledged by the broker. */
    private long eventStreamPosition() {
        return publisher().processingStatus().values().stream()
                .mapToLong(segment -> segment.getCurrentPosition().orElse(-1)).min().orElse(-1);
    }

    private StreamingEventProcessor publisher() {
        return processing.eventProcessor(EventStreamPublisher.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow();
    }

    /** Reads the topic from the start until every event in {@code expected} arrived; first arrivals, in order. */
    private static List<JsonNode> consumeUntil(Set<String> expected, Duration timeout) throws IOException {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            Instant until = Instant.now().plus(timeout);
            while (!byId.keySet().containsAll(expected) && Instant.now().isBefore(until)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode envelope = JSON.readTree(record.value());
                    byId.putIfAbsent(envelope.get("eventId").asText(), envelope); // at least once: drop repeats
                }
            }
        }
        return List.copyOf(byId.values());
    }
}
