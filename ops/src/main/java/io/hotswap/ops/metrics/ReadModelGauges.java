package io.hotswap.ops.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Gauges read from the read models at each scrape, so every replica shows the same numbers and they survive restarts.
 * A Prometheus collector rather than Micrometer gauges: rows come and go between scrapes, and a collector reports
 * exactly the rows there are, with no registration to keep in step.
 */
abstract class ReadModelGauges implements MultiCollector {

    private final Logger log = LoggerFactory.getLogger(getClass());

    /** Call last in the constructor. No registry when metrics export is off (most tests). */
    void registerWith(ObjectProvider<PrometheusRegistry> prometheus) {
        prometheus.ifAvailable(registry -> registry.register(this));
    }

    /** This scrape's gauges, read from the read models. */
    abstract MetricSnapshots read();

    @Override
    public final MetricSnapshots collect() {
        try {
            return read();
        } catch (RuntimeException e) {
            // the rest of the scrape (counters, JVM) is still worth having while the database is away
            log.warn("{} left out of this scrape: {}", getClass().getSimpleName(), e.getMessage());
            return MetricSnapshots.of();
        }
    }

    static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    static GaugeDataPointSnapshot point(double value, String... labels) {
        return point(value, Labels.of(labels));
    }

    static GaugeDataPointSnapshot point(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }
}
