package io.hotswap.ops.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far each event processor (projections, policies, sagas, and {@code event-stream}, the Kafka publisher) is behind
 * the head of the event store: {@code projection_lag_events{projection}}, the stored events it has not handled yet
 * (counted by global index, so the rare gap left by a rolled-back append counts too), and
 * {@code projection_lag_seconds{projection}}, how long the oldest of them has waited (0 when caught up).
 * {@code projection_lag_seconds{projection="event-stream"}} is the Kafka publication lag.
 *
 * <p>Read at each scrape from the tokens in {@code token_entry} rather than from this node's processors, so every
 * replica reports the same numbers, also for segments another replica holds, and they hold across restarts. A processor
 * is as far as its slowest segment. A segment that had nothing to handle stores its position when it next extends its
 * claim (every 2 s, see AxonConfig), so a processor may show up to about 2 s behind for that long. Tokens of processors this build no longer has (renamed or removed ones) are left
 * out: they never move again and would look like a projection falling further behind forever.
 */
@Component
class ProjectionLagMetrics implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(ProjectionLagMetrics.class);

    private final JdbcClient jdbc;
    private final Serializer serializer;
    private final EventProcessingConfiguration processing;

    ProjectionLagMetrics(JdbcClient jdbc, Serializer serializer, EventProcessingConfiguration processing,
                         ObjectProvider<PrometheusRegistry> prometheus) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.processing = processing;
        prometheus.ifAvailable(registry -> registry.register(this)); // absent when metrics export is off (most tests)
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Long> positions;
        long head;
        try {
            positions = positions();
            head = jdbc.sql("SELECT coalesce(max(global_index), -1) FROM domain_event_entry").query(Long.class).single();
        } catch (RuntimeException e) {
            log.warn("Projection lag left out of this scrape: {}", e.getMessage());
            return MetricSnapshots.of();
        }
        GaugeSnapshot.Builder events = GaugeSnapshot.builder().name("projection_lag_events")
                .help("Stored events the processor has not handled yet");
        GaugeSnapshot.Builder seconds = GaugeSnapshot.builder().name("projection_lag_seconds")
                .help("How long the oldest stored event the processor has not handled yet has waited (0 when caught up)");
        positions.forEach((processor, position) -> {
            long behind = Math.max(0, head - position);
            events.dataPoint(point(processor, behind));
            seconds.dataPoint(point(processor, behind == 0 ? 0 : secondsWaited(position)));
        });
        return MetricSnapshots.of(events.build(), seconds.build());
    }

    /** Each processor's position: the global index of the last event its slowest segment handled, -1 for none. */
    private Map<String, Long> positions() {
        Map<String, Long> positions = new TreeMap<>();
        jdbc.sql("SELECT processor_name, token, token_type FROM token_entry WHERE processor_name IN (:processors)")
                .param("processors", processing.eventProcessors().keySet())
                .query((row, n) -> Map.entry(row.getString("processor_name"),
                        position(row.getBytes("token"), row.getString("token_type"))))
                .list().forEach(segment -> positions.merge(segment.getKey(), segment.getValue(), Math::min));
        return positions;
    }

    private long position(byte[] token, String type) {
        if (token == null || type == null) return -1; // a segment that has not handled anything yet
        TrackingToken tracking = serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
        return tracking == null ? -1 : tracking.position().orElse(-1);
    }

    private double secondsWaited(long position) {
        return jdbc.sql("SELECT time_stamp FROM domain_event_entry WHERE global_index > ? ORDER BY global_index LIMIT 1")
                .param(position).query(String.class).optional()
                .map(stored -> Math.max(0, Duration.between(Instant.parse(stored), Instant.now()).toMillis() / 1000.0))
                .orElse(0.0);
    }

    private static GaugeDataPointSnapshot point(String processor, double value) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of("projection", processor)).build();
    }
}
