package io.hotswap.api.deployment;

import java.util.List;

/** What a strategy compiles to: the steps, and how health is judged while they run. */
public record DeploymentPlan(DeploymentStrategy strategy, List<DeploymentStep> steps, int healthCheckIntervalSeconds,
                             int failureThreshold, int progressDeadlineSeconds) {

    public DeploymentPlan {
        steps = List.copyOf(steps);
    }

    /**
     * How many instances of the version being replaced run during step {@code stage}, when {@code previous} ran
     * before the deployment started. BlueGreen keeps the old set whole until the switch at completion; Direct
     * replaces it at once; Canary and Rolling hand over the step's share of the old set, so that both versions
     * together never run more instances than the larger of the two sets.
     */
    public int previousInstancesAt(int stage, int previous) {
        int total = steps.get(steps.size() - 1).instances();
        int fresh = steps.get(stage).instances();
        return switch (strategy) {
            case BlueGreen -> previous;
            case Direct -> 0;
            case Canary, Rolling -> previous - (previous * fresh + total - 1) / total;
        };
    }

    /**
     * The most of a resource both versions hold at once while the plan runs, given what one instance of each needs
     * and how many instances of the previous version ran before: what a quota must leave room for.
     */
    public double peak(double perNewInstance, int previous, double perPreviousInstance) {
        double peak = previous * perPreviousInstance;
        for (int stage = 0; stage < steps.size(); stage++) {
            peak = Math.max(peak, steps.get(stage).instances() * perNewInstance
                    + previousInstancesAt(stage, previous) * perPreviousInstance);
        }
        return peak;
    }
}
