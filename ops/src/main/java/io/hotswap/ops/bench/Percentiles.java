package io.hotswap.ops.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of measured values, for the benchmarks' tables. */
final class Percentiles {

    private Percentiles() {
    }

    /** The smallest value at or above {@code percentile} % of them (100 is the maximum); NaN for no values. */
    static double percentile(List<Double> values, double percentile) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
