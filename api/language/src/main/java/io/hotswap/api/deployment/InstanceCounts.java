package io.hotswap.api.deployment;

import java.util.Map;

/** Instance counts of a deployment: on the new version ({@code desired}, {@code ready}, {@code healthy}) and per version. */
public record InstanceCounts(int desired, int ready, int healthy, Map<String, Integer> byVersion) {
}
