package io.hotswap.ops.metrics;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The guide's {@code api_requests_total{endpoint,status}} and the histogram {@code api_request_duration_seconds{endpoint}}
 * for requests under {@code /api/}. Rides on Spring's own HTTP server observation, whose {@code uri} is the route
 * template ({@code /api/v1/plugins/{pluginId}}, or {@code /**} when no route matched): bounded cardinality,
 * never a raw id. One Spring timer cannot be both a {@code _total} counter and a histogram under these names, hence
 * the two meters here.
 * <p>
 * Being a meter handler, it replaces Spring Boot's for HTTP requests: Boot then makes no handler of its own, so no
 * {@code http_server_requests_seconds} that nothing reads, and, with tracing on, no span scope opened around its timer
 * at every request's end (a share of what tracing added to each request, in a profile of TracingBenchmark). Other
 * observations (the plugin runtime's calls: {@code plugin_runtime_seconds}) keep Boot's timers, from
 * {@link #otherObservations}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiRequestMetrics implements MeterObservationHandler<ServerRequestObservationContext> {

    /** Buckets from a cache hit to a slow upload: a dozen series per endpoint rather than Micrometer's seventy. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry metrics;

    ApiRequestMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Boot's handler, for every observation but HTTP requests: the first meter handler that supports one takes it. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    static DefaultMeterObservationHandler otherObservations(MeterRegistry metrics) {
        return new DefaultMeterObservationHandler(metrics);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ServerRequestObservationContext;
    }

    @Override
    public void onStart(ServerRequestObservationContext context) {
        context.put(Timer.Sample.class, Timer.start(metrics));
    }

    @Override
    public void onStop(ServerRequestObservationContext context) {
        if (!context.getCarrier().getRequestURI().startsWith("/api/")) return; // probes and the like are not the API
        Timer.Sample started = context.get(Timer.Sample.class);
        if (started == null) return;
        String endpoint = value(context, "uri");
        Counter.builder("api.requests").description("API requests answered, by route template and status")
                .tags("endpoint", endpoint, "status", value(context, "status")).register(metrics).increment();
        started.stop(Timer.builder("api.request.duration").description("Time to answer an API request, by route template")
                .tag("endpoint", endpoint).serviceLevelObjectives(BUCKETS).register(metrics));
    }

    /** Spring's low-cardinality key values are in place by the time handlers hear of the stop. */
    private static String value(ServerRequestObservationContext context, String key) {
        KeyValue value = context.getLowCardinalityKeyValue(key);
        return value == null ? "UNKNOWN" : value.getValue();
    }
}
