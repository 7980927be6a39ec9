package io.hotswap.ops.tracing;

import io.hotswap.api.audit.ActorMetaData;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.ObservationFilter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.axonframework.messaging.Message;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.slf4j.MDC;
import org.springframework.boot.actuate.autoconfigure.tracing.TracingProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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
        return new WithoutMessagelessInternalSpans(OpenTelemetrySpanFactory.builder()
                .tracer(openTelemetry.getTracer("AxonFramework-OpenTelemetry"))
                .contextPropagators(openTelemetry.getPropagators().getTextMapPropagator())
                .build());
    }

    /**
     * Leaves out Axon's internal spans that carry no message: one per handler method inside the span of the processor,
     * saga or bus that called it, and the repository's load and lock and the event bus's commit inside the command's
     * span. They were most of a request's spans and name nothing their parent does not; what the request did, the
     * messages it sent and who handled them, keeps its spans.
     */
    private record WithoutMessagelessInternalSpans(SpanFactory delegate) implements SpanFactory {

        @Override
        public Span createInternalSpan(Supplier<String> operationNameSupplier) {
            return NoOpSpanFactory.NoOpSpan.INSTANCE;
        }

        @Override
        public Span createInternalSpan(Supplier<String> operationNameSupplier, Message<?> message) {
            return delegate.createInternalSpan(operationNameSupplier, message);
        }

        @Override
        public Span createRootTrace(Supplier<String> operationNameSupplier) {
            return delegate.createRootTrace(operationNameSupplier);
        }

        @Override
        public Span createHandlerSpan(Supplier<String> operationNameSupplier, Message<?> parentMessage,
                                      boolean isChildTrace, Message<?>... linkedParents) {
            return delegate.createHandlerSpan(operationNameSupplier, parentMessage, isChildTrace, linkedParents);
        }

        @Override
        public Span createDispatchSpan(Supplier<String> operationNameSupplier, Message<?> parentMessage,
                                       Message<?>... linkedSiblings) {
            return delegate.createDispatchSpan(operationNameSupplier, parentMessage, linkedSiblings);
        }

        @Override
        public void registerSpanAttributeProvider(SpanAttributesProvider provider) {
            delegate.registerSpanAttributeProvider(provider);
        }

        @Override
        public <M extends Message<?>> M propagateContext(M message) {
            return delegate.propagateContext(message);
        }
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

    /**
     * Spring Boot's own span processor hands every span through Micrometer's {@code CompositeSpanExporter}, which
     * copies it twice (to a {@code FinishedSpan} and back) before the exporter marshals the copy: in a profile, a third
     * of what tracing cost went to exporting. This one gives the exporters OpenTelemetry's spans as they are, with
     * Boot's {@code management.tracing.opentelemetry.export.*} settings. Checked against Boot 3.5.7 and Micrometer
     * Tracing 1.5.5 (TracingBenchmark measures what tracing costs).
     */
    @Bean
    BatchSpanProcessor apiSpansExported(List<SpanExporter> exporters, TracingProperties tracing) {
        TracingProperties.OpenTelemetry.Export export = tracing.getOpentelemetry().getExport();
        return BatchSpanProcessor.builder(new ApiSpansOnly(SpanExporter.composite(exporters)))
                .setExportUnsampledSpans(export.isIncludeUnsampled()).setExporterTimeout(export.getTimeout())
                .setMaxExportBatchSize(export.getMaxBatchSize()).setMaxQueueSize(export.getMaxQueueSize())
                .setScheduleDelay(export.getScheduleDelay()).build();
    }

    /** Requests outside the API (probes, Prometheus scrapes) are traced but not exported: they would bury the API's. */
    private record ApiSpansOnly(SpanExporter exporter) implements SpanExporter {

        private static final AttributeKey<String> PATH = AttributeKey.stringKey("http.url");

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            List<SpanData> api = spans.stream().filter(span -> {
                String path = span.getAttributes().get(PATH);
                return path == null || path.startsWith("/api/");
            }).toList();
            return api.isEmpty() ? CompletableResultCode.ofSuccess() : exporter.export(api);
        }

        @Override
        public CompletableResultCode flush() {
            return exporter.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return exporter.shutdown();
        }
    }
}
