package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.hotswap.sagas.runtime.PluginVersionSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory plugin runtime: records every scale and check call, keeps the instance count of each version per
 * target, and answers {@link #check} with what the test scripted (by default: every running instance healthy). It
 * passes the runtime port's contract ({@code FakePluginRuntimeContractTest}). {@link #lag()} makes it accept scale calls without
 * acting on them (as a runtime still stopping processes would) until {@link #catchUp()}.
 */
final class FakePluginRuntime implements PluginRuntime {

    record ScaleCall(DeploymentTarget target, String version, int instances) {
    }

    record CheckCall(DeploymentTarget target, String version) {
    }

    record ReplaceCall(DeploymentTarget target, String instanceId) {
    }

    private final Map<DeploymentTarget, Map<String, Integer>> desired = new HashMap<>();
    private final Map<DeploymentTarget, Map<String, Integer>> running = new HashMap<>();
    private final Map<String, List<InstanceHealth>> health = new HashMap<>();
    private final List<ScaleCall> scaleCalls = new ArrayList<>();
    private final List<CheckCall> checkCalls = new ArrayList<>();
    private final List<ReplaceCall> replaceCalls = new ArrayList<>();
    private boolean lagging;

    @Override
    public Set<String> runtimeTypes() {
        return Set.of("jar");
    }

    @Override
    public void scale(DeploymentTarget target, PluginVersionSpec spec, int instances) {
        String version = spec.version();
        scaleCalls.add(new ScaleCall(target, version, instances));
        desired.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(version, instances);
        if (!lagging) running.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(version, instances);
    }

    @Override
    public List<InstanceHealth> check(DeploymentTarget target, String version) {
        checkCalls.add(new CheckCall(target, version));
        if (health.containsKey(version)) return health.get(version);
        int instances = runningCount(target, version);
        List<InstanceHealth> all = new ArrayList<>();
        for (int i = 1; i <= instances; i++) {
            all.add(new InstanceHealth(target.pluginId() + "-" + version + "-" + i, version, InstanceState.Healthy, null));
        }
        return all;
    }

    @Override
    public Map<String, Integer> running(DeploymentTarget target) {
        Map<String, Integer> counts = new LinkedHashMap<>(running.getOrDefault(target, Map.of()));
        counts.values().removeIf(n -> n == 0);
        return counts;
    }

    @Override
    public void replace(DeploymentTarget target, String instanceId) {
        replaceCalls.add(new ReplaceCall(target, instanceId));
    }

    List<ReplaceCall> replaceCalls() {
        return List.copyOf(replaceCalls);
    }

    /** What {@link #check} answers for {@code version} from now on. */
    void scriptHealth(String version, List<InstanceHealth> instances) {
        health.put(version, List.copyOf(instances));
    }

    /** Sets what already runs, without recording a scale call (the state before the test). */
    void alreadyRunning(DeploymentTarget target, String version, int instances) {
        desired.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(version, instances);
        running.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(version, instances);
    }

    /** Instances died behind the saga's back: the runtime runs fewer than it was asked to. */
    void lose(DeploymentTarget target, String version, int instances) {
        running.computeIfAbsent(target, t -> new LinkedHashMap<>()).merge(version, -instances, Integer::sum);
    }

    /** Scale calls are recorded but change nothing that runs until {@link #catchUp()}. */
    void lag() {
        lagging = true;
    }

    /** Brings what runs to what was last asked for. */
    void catchUp() {
        lagging = false;
        desired.forEach((target, versions) -> running.computeIfAbsent(target, t -> new LinkedHashMap<>()).putAll(versions));
    }

    int runningCount(DeploymentTarget target, String version) {
        return running.getOrDefault(target, Map.of()).getOrDefault(version, 0);
    }

    List<ScaleCall> scaleCalls() {
        return List.copyOf(scaleCalls);
    }

    List<CheckCall> checkCalls() {
        return List.copyOf(checkCalls);
    }

    /** Forgets the calls made so far (the given phase), keeping what runs. */
    void forgetCalls() {
        scaleCalls.clear();
        checkCalls.clear();
        replaceCalls.clear();
    }
}
