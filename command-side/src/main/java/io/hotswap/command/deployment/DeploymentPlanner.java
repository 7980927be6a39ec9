package io.hotswap.command.deployment;

import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.error.Input;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles a strategy and its {@code strategyConfig} into a plan of steps. Every value arrives as a string (the
 * guide sends {@code "stages": "10,30,50,100"}); anything unknown or out of range is refused by field.
 */
public class DeploymentPlanner {

    private static final Set<String> HEALTH_KEYS = Set.of("healthCheckInterval", "failureThreshold", "progressDeadline");
    private static final Map<DeploymentStrategy, Set<String>> STRATEGY_KEYS = Map.of(
            DeploymentStrategy.Canary, Set.of("stages", "stageInterval"),
            DeploymentStrategy.Rolling, Set.of("batchSize", "stageInterval"),
            DeploymentStrategy.BlueGreen, Set.of("stageInterval"),
            DeploymentStrategy.Direct, Set.of());
    private static final String DEFAULT_STAGES = "10,30,50,100";
    private static final int DEFAULT_STAGE_INTERVAL = 300;
    private static final int MAX_SECONDS = 7 * 24 * 3600;

    private final DeploymentDefaults defaults;

    public DeploymentPlanner(DeploymentDefaults defaults) {
        this.defaults = defaults;
    }

    /** @throws io.hotswap.api.error.InvalidInputException naming every wrong field */
    public DeploymentPlan plan(String strategyName, Map<String, String> config, int totalInstances) {
        Input input = new Input();
        input.range("totalInstances", totalInstances, 1, defaults.maxInstances());
        DeploymentStrategy strategy = strategyName == null ? defaults.strategy()
                : DeploymentStrategy.named(strategyName).orElse(null);
        if (strategy == null) {
            input.reject("strategy", "unknown strategy '" + strategyName + "'; use one of Canary, Rolling, BlueGreen, Direct");
            input.check();
        }
        Set<String> allowed = new TreeSet<>(STRATEGY_KEYS.get(strategy));
        allowed.addAll(HEALTH_KEYS);
        config.keySet().stream().filter(key -> !allowed.contains(key)).forEach(key -> input.reject(
                "strategyConfig." + key, "is not a setting of " + strategy + "; known settings: " + String.join(", ", allowed)));
        int interval = seconds(input, config, "stageInterval", DEFAULT_STAGE_INTERVAL, 0);
        int healthInterval = seconds(input, config, "healthCheckInterval", defaults.healthCheckIntervalSeconds(), 1);
        int threshold = integer(input, config, "failureThreshold", defaults.failureThreshold(), 1, 100);
        int deadline = seconds(input, config, "progressDeadline", defaults.progressDeadlineSeconds(), 1);
        List<DeploymentStep> steps = switch (strategy) {
            case Canary -> canarySteps(input, config.getOrDefault("stages", DEFAULT_STAGES), totalInstances, interval);
            case Rolling -> rollingSteps(input, config, totalInstances, interval);
            case BlueGreen -> List.of(new DeploymentStep(100, totalInstances, interval));
            case Direct -> List.of(new DeploymentStep(100, totalInstances, 0));
        };
        input.check();
        return new DeploymentPlan(strategy, steps, healthInterval, threshold, deadline);
    }

    private static List<DeploymentStep> canarySteps(Input input, String stagesText, int total, int interval) {
        List<Integer> stages = new ArrayList<>();
        for (String part : stagesText.split(",", -1)) {
            try {
                stages.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                input.reject("strategyConfig.stages", "'" + stagesText + "' is not a comma-separated list of "
                        + "percentages such as \"10,30,50,100\"");
                return List.of();
            }
        }
        for (int i = 0; i < stages.size(); i++) {
            int pct = stages.get(i);
            if (pct < 1 || pct > 100) {
                input.reject("strategyConfig.stages", "stage " + pct + " is outside 1..100");
                return List.of();
            }
            if (i > 0 && pct <= stages.get(i - 1)) {
                input.reject("strategyConfig.stages", "stages must be strictly ascending; " + pct + " follows "
                        + stages.get(i - 1));
                return List.of();
            }
        }
        if (stages.get(stages.size() - 1) != 100) {
            input.reject("strategyConfig.stages", "the last stage must be 100, was " + stages.get(stages.size() - 1));
            return List.of();
        }
        List<DeploymentStep> steps = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            boolean last = i == stages.size() - 1;
            int instances = Math.max(1, (int) Math.ceil(total * stages.get(i) / 100.0));
            steps.add(new DeploymentStep(stages.get(i), Math.min(instances, total), last ? 0 : interval));
        }
        return steps;
    }

    private static List<DeploymentStep> rollingSteps(Input input, Map<String, String> config, int total, int interval) {
        int batch = integer(input, config, "batchSize", Math.max(1, total / 4), 1, Math.max(1, total));
        List<DeploymentStep> steps = new ArrayList<>();
        for (int done = Math.min(batch, total); ; done = Math.min(done + batch, total)) {
            boolean last = done >= total;
            steps.add(new DeploymentStep((int) Math.round(done * 100.0 / Math.max(1, total)), done, last ? 0 : interval));
            if (last) return steps;
        }
    }

    private static int seconds(Input input, Map<String, String> config, String key, int fallback, int min) {
        return integer(input, config, key, fallback, min, MAX_SECONDS);
    }

    private static int integer(Input input, Map<String, String> config, String key, int fallback, int min, int max) {
        String raw = config.get(key);
        if (raw == null) return fallback;
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        input.reject("strategyConfig." + key, "must be a whole number between " + min + " and " + max + ", was '" + raw + "'");
        return fallback;
    }
}
