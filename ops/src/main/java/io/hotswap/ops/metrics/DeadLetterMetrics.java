package io.hotswap.ops.metrics;

import io.hotswap.ops.config.DeadLetterConfig;
import io.hotswap.ops.projection.DeadLetterTable;
import io.hotswap.rest.projection.Projections.DeadLetters;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * {@code projection_dead_letters{projection}}: the events each dead-lettering processing group has parked, read from
 * the dead-letter table at each scrape (one query). Every such group is reported, with 0 when it has none, so an alert
 * on {@code > 0} has a series to watch from the start.
 */
@Component
class DeadLetterMetrics extends ReadModelGauges {

    private final DeadLetterTable deadLetters;

    DeadLetterMetrics(DeadLetterTable deadLetters, ObjectProvider<PrometheusRegistry> prometheus) {
        this.deadLetters = deadLetters;
        registerWith(prometheus);
    }

    @Override
    MetricSnapshots read() {
        Map<String, DeadLetters> parked = deadLetters.summaries();
        GaugeSnapshot.Builder gauge = gauge("projection_dead_letters",
                "Events the projection or policy could not handle and parked until they are retried");
        for (String group : DeadLetterConfig.GROUPS) {
            gauge.dataPoint(point(parked.getOrDefault(group, DeadLetters.NONE).count(), "projection", group));
        }
        return MetricSnapshots.of(gauge.build());
    }
}
