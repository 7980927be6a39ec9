package io.hotswap.api.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a deployment's health is called in words: the reasons the saga gives for a rollback or a change of health
 * (stored in events, so they must read the same ever after) and the history line of each stage's check. Stages are
 * numbered from 1 here, as the guide counts them.
 */
public final class HealthReasons {

    private HealthReasons() {
    }

    /** Why a stage rolled back on its failure threshold, naming every instance of the last check that was not healthy. */
    public static String failedChecks(int stage, HealthCheckRecorded check) {
        return "stage " + (stage + 1) + " failed " + check.consecutiveFailures() + " health checks in a row: "
                + notHealthy(check.instances());
    }

    /** Why a stage rolled back at its progress deadline; with nothing unhealthy checked, too few instances ran. */
    public static String notHealthyInTime(int stage, int progressDeadlineSeconds, List<InstanceHealth> checked) {
        String notHealthy = notHealthy(checked);
        return "stage " + (stage + 1) + " was not healthy within " + progressDeadlineSeconds + " s: "
                + (notHealthy.isEmpty() ? "too few instances running" : notHealthy);
    }

    /**
     * What a supervision check found changed: the turn of the overall health with the failing instances, and the
     * instances the runtime restarted; only the restarts when the health stayed as it was.
     */
    public static String healthChanged(OverallHealth before, OverallHealth now, List<InstanceHealth> instances,
                                       List<InstanceHealth> restarted) {
        List<String> restarts = restarted.stream().map(HealthReasons::restarted).toList();
        if (before == now) return String.join("; ", restarts);
        List<String> parts = new ArrayList<>();
        String failing = notHealthy(instances.stream().filter(i -> i.state().isFailure()).toList());
        if (!failing.isEmpty()) parts.add(failing);
        parts.addAll(restarts); // a restarted instance still starting is not failing, so it is named once
        return before + " → " + now + (parts.isEmpty() ? "" : ": " + String.join("; ", parts));
    }

    /**
     * One stage's check as a history line. A check that is not healthy without any failed instance (they are still
     * starting, or there are none) is not a failure and does not count toward the threshold: it says what it waits for.
     */
    public static String checkRecorded(HealthCheckRecorded check) {
        List<InstanceHealth> instances = check.instances();
        if (check.healthy()) return "healthy (" + instances.size() + " instances)";
        String failed = instances.stream().filter(i -> i.state().isFailure())
                .map(i -> i.instanceId() + " " + i.state() + (i.detail() == null ? "" : " (" + i.detail() + ")"))
                .collect(Collectors.joining("; "));
        if (!failed.isEmpty()) return "unhealthy, " + check.consecutiveFailures() + " in a row: " + failed;
        long starting = instances.stream().filter(i -> i.state() == InstanceState.Starting).count();
        return instances.isEmpty() ? "not healthy yet: no instances running"
                : "not healthy yet: " + starting + " of " + instances.size() + " instances still starting";
    }

    private static String notHealthy(List<InstanceHealth> instances) {
        return instances.stream().filter(i -> i.state() != InstanceState.Healthy)
                .map(i -> i.instanceId() + " (" + i.version() + ") " + i.state()
                        + (i.detail() == null ? "" : ": " + i.detail()))
                .collect(Collectors.joining("; "));
    }

    private static String restarted(InstanceHealth instance) {
        int restarts = instance.restarts();
        return instance.instanceId() + " restarted (" + restarts + (restarts == 1 ? " restart" : " restarts")
                + (instance.detail() == null ? "" : ": " + instance.detail()) + ")";
    }
}
