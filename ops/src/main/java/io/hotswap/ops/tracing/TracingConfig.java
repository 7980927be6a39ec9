package io.hotswap.ops.tracing;

import io.hotswap.api.audit.ActorMetaData;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.opentelemetry.api.OpenTelemetry;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * With {@code Telemetry.Jaeger.Enabled} (see {@link JaegerTracing}): one trace per API request, from Spring's HTTP
 * server span through Axon's spans (command dispatch and handling, the stored events' publication, the event
 * processors and sagas that handle them, the commands those send) to the plugin runtime's calls. Axon carries the
 * trace context in each message's metadata ({@code traceparent}), so a pooled processor handling an event on its own
 * thread, later, joins the trace that stored it. Every span carries the request's correlation id as
 * {@code correlationId}, the name it has in the logs.
 */
@Configuration
@ConditionalOnProperty(name = JaegerTracing.ENABLED, havingValue = "true")
class TracingConfig {

    /** Axon's spans on Spring's OpenTelemetry, so they share its context, propagators and exporter. */
    @Bean
    SpanFactory axonSpans(OpenTelemetry openTelemetry) {
        return OpenTelemetrySpanFactory.builder()
                .tracer(openTelemetry.getTracer("AxonFramework-OpenTelemetry"))
                .contextPropagators(openTelemetry.getPropagators().getTextMapPropagator())
                .build();
    }

    /** Axon's spans of a message: the correlation id from its metadata, where the REST layer put it. */
    @Bean
    SpanAttributesProvider correlationIdOfMessages() {
        return message -> message.getMetaData().get(ActorMetaData.CORRELATION_ID) instanceof String correlationId
                ? Map.of(ActorMetaData.CORRELATION_ID, correlationId) : Map.of();
    }

    /**
     * Observations' spans (the HTTP request, the plugin runtime's calls): the correlation id in the log context, where
     * the REST layer and the event handlers' interceptor put it. High cardinality: on spans, never on metrics.
     */
    @Bean
    ObservationFilter correlationIdOfObservations() {
        return context -> {
            String correlationId = MDC.get(ActorMetaData.CORRELATION_ID);
            return correlationId == null ? context
                    : context.addHighCardinalityKeyValue(KeyValue.of(ActorMetaData.CORRELATION_ID, correlationId));
        };
    }

    /** Requests outside the API (probes, Prometheus scrapes) are traced but not exported: they would bury the API's. */
    @Bean
    SpanExportingPredicate apiRequestsOnly() {
        return span -> {
            String path = span.getTags().get("http.url");
            return path == null || path.startsWith("/api/");
        };
    }
}
