package io.hotswap.ops.bench;

import java.util.ArrayList;
import java.util.List;

/** The one table a benchmark prints at its end (figure, measured, target); each row is also echoed as it comes. */
final class BenchTable {

    private final List<String[]> rows = new ArrayList<>();

    static String mark(boolean met) {
        return met ? "(met)" : "(MISSED)";
    }

    void row(String figure, String measured, String target) {
        rows.add(new String[]{figure, measured, target});
        System.out.println("  " + figure + ": " + measured);
    }

    void print() {
        StringBuilder out = new StringBuilder("\n| figure | measured | target |\n|---|---|---|\n");
        for (String[] row : rows) out.append("| ").append(String.join(" | ", row)).append(" |\n");
        System.out.println(out);
    }
}
