package io.hotswap.ops.support;

import java.util.Arrays;

/** The server's Prometheus endpoint on its management port, and the value of one series in what it answered. */
public final class Prometheus {

    private Prometheus() {
    }

    public static String scrape(int managementPort) {
        Http.Response response = new Http(managementPort).get("/actuator/prometheus", null);
        if (response.status() != 200) throw new AssertionError("scrape failed: " + response);
        return response.bodyText();
    }

    /** The value of the one sample line that starts with {@code series}. */
    public static double sample(String metrics, String series) {
        return Arrays.stream(metrics.split("\n")).filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no " + series + " in\n" + metrics));
    }
}
