package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.HealthCheckRecorded;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.DeploymentTarget;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The health checks of a deployment's new version: during the stages the failure threshold judges them; once it
 * completed, its supervision keeps the count, replaces instances that stopped answering and notes the runtime's
 * restarts. What a check must remember for the next one is the saga's, passed in and handed back.
 */
record HealthWatch(String deploymentId, DeploymentTarget target, String version, int totalInstances,
                   int failureThreshold) {

    private static final Logger log = LoggerFactory.getLogger(HealthWatch.class);

    /** Every instance of the new version, as the runtime sees it now. */
    List<InstanceHealth> check(DeploymentRuntime runtime) {
        return runtime.check(target, version);
    }

    /** Enough checks failed in a row to roll the stage back. */
    boolean failedTooOften(HealthCheckRecorded check) {
        return check.consecutiveFailures() >= failureThreshold;
    }

    /** A completed deployment at its full count again, whatever a crash or a lost instance left. Idempotent. */
    void reconcileCount(DeploymentRuntime runtime) {
        runtime.scale(target, version, totalInstances);
    }

    /**
     * Starts anew every instance that answered before and has not for {@code failureThreshold} checks in a row, and
     * returns how many checks in a row each of the others has not answered.
     */
    Map<String, Integer> replaceUnanswering(DeploymentRuntime runtime, List<InstanceHealth> instances,
                                            Map<String, Integer> checksNotAnswered) {
        Map<String, Integer> counts = new HashMap<>();
        for (InstanceHealth instance : instances) {
            if (instance.state() != InstanceState.NotAnswering) continue;
            int checks = checksNotAnswered.getOrDefault(instance.instanceId(), 0) + 1;
            if (checks >= failureThreshold) {
                log.warn("Deployment {}: replacing {}, which has not answered {} health checks in a row",
                        deploymentId, instance.instanceId(), checks);
                runtime.replace(target, instance.instanceId());
            } else {
                counts.put(instance.instanceId(), checks);
            }
        }
        return counts;
    }

    /** The instances the runtime restarted since the last check: their restart count went up. */
    static List<InstanceHealth> restartedSince(Map<String, Integer> restartsSeen, List<InstanceHealth> instances) {
        return instances.stream().filter(i -> i.restarts() > restartsSeen.getOrDefault(i.instanceId(), 0)).toList();
    }

    /** Each instance's restart count, for the next check to compare with. */
    static Map<String, Integer> restarts(List<InstanceHealth> instances) {
        Map<String, Integer> restarts = new HashMap<>();
        instances.forEach(i -> restarts.put(i.instanceId(), i.restarts()));
        return restarts;
    }

    /** {@code plugin_instance_crash_loops_total} when a crash loop begins, {@code plugin_instance_restarts_total}. */
    void count(MeterRegistry metrics, OverallHealth before, OverallHealth now, List<InstanceHealth> restarted) {
        if (now == OverallHealth.CrashLooping && before != OverallHealth.CrashLooping) {
            metrics.counter("plugin.instance.crash.loops", "tenant", target.tenantId(), "plugin", target.pluginId())
                    .increment();
        }
        if (!restarted.isEmpty()) {
            metrics.counter("plugin.instance.restarts", "tenant", target.tenantId(), "plugin", target.pluginId())
                    .increment(restarted.size());
        }
    }
}
