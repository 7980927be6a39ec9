package io.hotswap.ops.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.projections.stream.EventStream;
import io.hotswap.projections.stream.EventStreamPublisher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** Publishes every event to Kafka when {@code Kafka.BootstrapServers} ({@code KAFKA_BOOTSTRAP_SERVERS}) is set. */
@Configuration
@ConditionalOnExpression("!'${Kafka.BootstrapServers:}'.isBlank()")
public class EventStreamConfig {

    @Bean
    KafkaEventStream kafkaEventStream(@Value("${Kafka.BootstrapServers}") String bootstrapServers,
                                      @Value("${Kafka.Topic}") String topic,
                                      @Value("${Kafka.DeliveryTimeout}") Duration deliveryTimeout,
                                      ObjectMapper mapper) {
        return new KafkaEventStream(bootstrapServers, topic, deliveryTimeout, mapper);
    }

    @Bean
    EventStreamPublisher eventStreamPublisher(EventStream stream, ObjectMapper mapper) {
        return new EventStreamPublisher(stream, mapper);
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(@Value("${Kafka.BootstrapServers}") String bootstrapServers) {
        return new KafkaHealthIndicator(bootstrapServers);
    }
}
