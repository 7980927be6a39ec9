package io.hotswap.ops.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.projections.stream.EventStream;
import io.hotswap.projections.stream.EventStreamPublisher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Publishes every event to Kafka when {@code Kafka.BootstrapServers} ({@code KAFKA_BOOTSTRAP_SERVERS}) is set. */
@Configuration
@ConditionalOnExpression("!'${Kafka.BootstrapServers:}'.isBlank()")
public class KafkaConfig {

    @Bean
    KafkaEventStream kafkaEventStream(HotSwapProperties properties, ObjectMapper mapper) {
        HotSwapProperties.Kafka kafka = properties.kafka();
        return new KafkaEventStream(kafka.bootstrapServers(), kafka.topic(), kafka.deliveryTimeout(), mapper);
    }

    @Bean
    EventStreamPublisher eventStreamPublisher(EventStream stream, ObjectMapper mapper) {
        return new EventStreamPublisher(stream, mapper);
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(HotSwapProperties properties) {
        return new KafkaHealthIndicator(properties.kafka().bootstrapServers());
    }
}
