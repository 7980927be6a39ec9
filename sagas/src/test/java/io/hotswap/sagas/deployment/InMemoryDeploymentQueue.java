package io.hotswap.sagas.deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deployment queue in memory, with the same rules as the JDBC one: an enqueue repeated for a deployment changes
 * nothing, finish frees the slot (or takes a waiting one out of the line), admit fills the free slots with the tenants
 * running the fewest first, then the longest waiting.
 */
final class InMemoryDeploymentQueue implements DeploymentQueue {

    private record Entry(String deploymentId, String tenantId, Instant queuedAt) {
    }

    private final Map<String, Entry> waiting = new LinkedHashMap<>();
    private final Map<String, Entry> admitted = new LinkedHashMap<>();
    private final List<String> finished = new ArrayList<>();

    @Override
    public void enqueue(String deploymentId, String tenantId, Instant queuedAt) {
        if (waiting.containsKey(deploymentId) || admitted.containsKey(deploymentId)) return;
        waiting.put(deploymentId, new Entry(deploymentId, tenantId, queuedAt));
    }

    @Override
    public void finish(String deploymentId) {
        finished.add(deploymentId);
        waiting.remove(deploymentId);
        admitted.remove(deploymentId);
    }

    @Override
    public List<String> admit(int maxConcurrent) {
        List<String> chosen = new ArrayList<>();
        while (admitted.size() < maxConcurrent && !waiting.isEmpty()) {
            Entry next = waiting.values().stream()
                    .min(Comparator.comparingLong((Entry e) -> runningOf(e.tenantId()))
                            .thenComparing(Entry::queuedAt).thenComparing(Entry::deploymentId))
                    .orElseThrow();
            waiting.remove(next.deploymentId());
            admitted.put(next.deploymentId(), next);
            chosen.add(next.deploymentId());
        }
        return chosen;
    }

    private long runningOf(String tenantId) {
        return admitted.values().stream().filter(e -> e.tenantId().equals(tenantId)).count();
    }

    Set<String> running() {
        return new LinkedHashSet<>(admitted.keySet());
    }

    Set<String> waiting() {
        return new LinkedHashSet<>(waiting.keySet());
    }

    Instant queuedAt(String deploymentId) {
        Entry entry = waiting.containsKey(deploymentId) ? waiting.get(deploymentId) : admitted.get(deploymentId);
        return entry == null ? null : entry.queuedAt();
    }

    List<String> finished() {
        return List.copyOf(finished);
    }
}
