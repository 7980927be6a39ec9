package io.hotswap.ops.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.support.ServerTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every stored event reaches a real (in-process KRaft) Kafka broker, as a documented envelope, in aggregate order. */
class KafkaEventStreamTest extends ServerTest {

    private static final String TOPIC = "test.plugin-manager.events";
    private static final EmbeddedKafkaKraftBroker BROKER = new EmbeddedKafkaKraftBroker(1, 3, TOPIC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        BROKER.afterPropertiesSet();
        registry.add("Kafka.BootstrapServers", BROKER::getBrokersAsString);
        registry.add("Kafka.Topic", () -> TOPIC);
    }

    @Test
    void publishesEveryEventInAggregateOrder() throws Exception {
        createTenant("tenant-streamed", "streamed");
        registerPlugin("streamed-plugin", "1.0.0", "streamed".getBytes(), "{}");
        String deploymentId = startDeployment("tenant-streamed", "streamed-plugin", "1.0.0", "Production");
        assertThat(http.postJson("/api/v1/plugin-deployments/" + deploymentId + "/rollback", admin,
                "{\"reason\": \"stream test\"}").status()).isEqualTo(202);
        awaitProjections();
        try {
            Set<String> stored = Set.copyOf(jdbc.sql("SELECT event_identifier FROM domain_event_entry")
                    .query(String.class).list());
            List<JsonNode> received = consumeUntil(BROKER.getBrokersAsString(), stored.size(), Duration.ofSeconds(60));

            assertThat(received.stream().map(e -> e.get("eventId").asText()).collect(Collectors.toSet()))
                    .as("nothing lost").containsAll(stored);
            Map<String, List<Long>> sequences = new HashMap<>();
            for (JsonNode envelope : received) {
                if (envelope.get("aggregateId").isNull()) continue;
                sequences.computeIfAbsent(envelope.get("aggregateId").asText(), id -> new ArrayList<>())
                        .add(envelope.get("sequenceNumber").asLong());
            }
            sequences.forEach((aggregate, order) -> assertThat(order).as(aggregate).isSorted());
            JsonNode started = received.stream().filter(e -> e.get("type").asText().equals("DeploymentStarted"))
                    .findFirst().orElseThrow();
            assertThat(started.get("revision").asText()).isEqualTo("1");
            assertThat(started.get("aggregateType").asText()).isEqualTo("Deployment");
            assertThat(started.get("aggregateId").asText()).isEqualTo(deploymentId);
            assertThat(started.get("tenantId").asText()).isEqualTo("tenant-streamed");
            assertThat(Instant.parse(started.get("timestamp").asText())).isBefore(Instant.now());
            assertThat(started.at("/payload/pluginId").asText()).isEqualTo("streamed-plugin");
        } finally {
            BROKER.destroy();
        }
    }

    /** Reads the topic from the start until {@code count} distinct events arrived, keeping arrival order. */
    private static List<JsonNode> consumeUntil(String brokers, int count, Duration timeout) throws IOException {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            Instant until = Instant.now().plus(timeout);
            while (byId.size() < count && Instant.now().isBefore(until)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode envelope = JSON.readTree(record.value());
                    byId.putIfAbsent(envelope.get("eventId").asText(), envelope); // at least once: drop repeats
                }
            }
        }
        return List.copyOf(byId.values());
    }
}
