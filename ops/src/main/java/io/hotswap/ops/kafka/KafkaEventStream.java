package io.hotswap.ops.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.projections.stream.EventEnvelope;
import io.hotswap.projections.stream.EventStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The event stream on Kafka: key = aggregate id (so one aggregate's events keep their order in one partition), value
 * = the JSON envelope. Idempotent producer with {@code acks=all}. A record the broker has not acknowledged within
 * {@code deliveryTimeout} fails its send, and with it the publisher's batch, which is then sent again from its token.
 */
public class KafkaEventStream implements EventStream, DisposableBean {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final ObjectMapper mapper;

    public KafkaEventStream(String bootstrapServers, String topic, Duration deliveryTimeout, ObjectMapper mapper) {
        this.topic = topic;
        this.mapper = mapper;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis(),
                // Kafka requires delivery.timeout >= linger + request.timeout: a request may be retried once
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis() / 2,
                ProducerConfig.CLIENT_ID_CONFIG, "hotswap-plugin-manager"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<?> send(EventEnvelope envelope) {
        CompletableFuture<Object> acknowledged = new CompletableFuture<>();
        try {
            String key = envelope.aggregateId() != null ? envelope.aggregateId() : envelope.eventId();
            producer.send(new ProducerRecord<>(topic, key, mapper.writeValueAsBytes(envelope)), (metadata, failure) -> {
                if (failure == null) acknowledged.complete(metadata);
                else acknowledged.completeExceptionally(failure);
            });
        } catch (JsonProcessingException | RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(5));
    }
}
