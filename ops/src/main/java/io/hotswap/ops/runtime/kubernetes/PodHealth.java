package io.hotswap.ops.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An instance's health as its pod shows it. Ready: {@code Healthy}. Running but not Ready: {@code Starting} until it
 * was Ready once since its container started, {@code NotAnswering} after. {@code CrashLoopBackOff}:
 * {@code CrashLooping}. A container that cannot start (an image that cannot be pulled, a binary that cannot be
 * fetched) or has stopped: {@code Exited}. The detail names the pod and the cause; restarts are the container's.
 */
final class PodHealth {

    /** Waiting reasons of a container that is still on its way up rather than failing. */
    private static final Set<String> STARTING = Set.of("ContainerCreating", "PodInitializing");

    private PodHealth() {
    }

    static InstanceHealth of(Pod pod, String version) {
        String name = pod.getMetadata().getName();
        Optional<ContainerStatus> plugin = containers(pod)
                .filter(s -> s.getName().equals(PluginObjects.PLUGIN_CONTAINER)).findFirst();
        int restarts = plugin.map(ContainerStatus::getRestartCount).orElse(0);
        Optional<ContainerStatus> failingInit = initContainers(pod)
                .filter(s -> s.getState() != null && isFailing(s.getState().getWaiting())).findFirst();
        if (failingInit.isPresent()) return waitingOrExited(name, version, failingInit.get(), restarts);
        if (plugin.isEmpty() || plugin.get().getState() == null) {
            return new InstanceHealth(name, version, InstanceState.Starting, "pod " + name + " is " + phase(pod)
                    + unscheduled(pod).map(reason -> ": " + reason).orElse(""), restarts);
        }
        ContainerStatus status = plugin.get();
        if (status.getState().getRunning() != null) {
            if (Boolean.TRUE.equals(status.getReady())) return new InstanceHealth(name, version, InstanceState.Healthy, null, restarts);
            Instant started = Instant.parse(status.getState().getRunning().getStartedAt());
            boolean wasReady = readyCondition(pod).map(c -> c.getLastTransitionTime() != null
                    && Instant.parse(c.getLastTransitionTime()).isAfter(started)).orElse(false);
            return wasReady
                    ? new InstanceHealth(name, version, InstanceState.NotAnswering, "pod " + name
                    + " was ready and no longer passes its readiness probe", restarts)
                    : new InstanceHealth(name, version, InstanceState.Starting, "pod " + name
                    + " is running but not ready yet (readiness probe)", restarts);
        }
        return waitingOrExited(name, version, status, restarts);
    }

    /**
     * The instances a Deployment could not create at all (its ReplicaSet's FailedCreate, e.g. the tenant's quota is
     * exceeded): one {@code Exited} entry for each missing pod, so the reason reaches the deployment's health.
     */
    static List<InstanceHealth> notCreated(Deployment deployment, String version, int podsThere) {
        int missing = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(0) - podsThere;
        Optional<DeploymentCondition> failure = Optional.ofNullable(deployment.getStatus())
                .map(s -> s.getConditions()).orElse(List.of()).stream()
                .filter(c -> c.getType().equals("ReplicaFailure") && c.getStatus().equals("True")).findFirst();
        if (missing <= 0 || failure.isEmpty()) return List.of();
        String name = deployment.getMetadata().getName();
        String detail = "Deployment " + name + " cannot create its pods (" + failure.get().getReason() + "): "
                + failure.get().getMessage();
        return IntStream.rangeClosed(1, missing)
                .mapToObj(i -> new InstanceHealth(name + "-not-created-" + i, version, InstanceState.Exited, detail))
                .toList();
    }

    /** The container runs (Ready or not); pods that cannot start or keep crashing do not count as running. */
    static boolean isRunning(Pod pod) {
        return containers(pod)
                .anyMatch(s -> s.getName().equals(PluginObjects.PLUGIN_CONTAINER) && s.getState() != null
                        && s.getState().getRunning() != null);
    }

    private static InstanceHealth waitingOrExited(String pod, String version, ContainerStatus status, int restarts) {
        ContainerStateWaiting waiting = status.getState() == null ? null : status.getState().getWaiting();
        ContainerStateTerminated last = status.getLastState() == null ? null : status.getLastState().getTerminated();
        if (status.getState() != null && status.getState().getTerminated() != null) last = status.getState().getTerminated();
        String lastExit = last == null ? "" : "; last exit code " + last.getExitCode()
                + (last.getReason() == null ? "" : " (" + last.getReason() + ")");
        if (waiting != null && !isFailing(waiting)) {
            return new InstanceHealth(pod, version, InstanceState.Starting, "pod " + pod + ": container "
                    + status.getName() + " is " + waiting.getReason(), restarts);
        }
        String cause = waiting == null ? "has stopped" : "is in " + waiting.getReason()
                + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
        InstanceState state = waiting != null && "CrashLoopBackOff".equals(waiting.getReason())
                ? InstanceState.CrashLooping : InstanceState.Exited;
        return new InstanceHealth(pod, version, state, "pod " + pod + ": container " + status.getName() + " " + cause
                + lastExit, restarts);
    }

    private static boolean isFailing(ContainerStateWaiting waiting) {
        return waiting != null && waiting.getReason() != null && !STARTING.contains(waiting.getReason());
    }

    private static Optional<PodCondition> readyCondition(Pod pod) {
        return conditions(pod).stream().filter(c -> c.getType().equals("Ready")).findFirst();
    }

    private static Optional<String> unscheduled(Pod pod) {
        return conditions(pod).stream().filter(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("False"))
                .map(c -> "not scheduled: " + c.getMessage()).findFirst();
    }

    private static List<PodCondition> conditions(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    private static Stream<ContainerStatus> containers(Pod pod) {
        return pod.getStatus() == null ? Stream.empty() : statuses(pod.getStatus().getContainerStatuses());
    }

    private static Stream<ContainerStatus> initContainers(Pod pod) {
        return pod.getStatus() == null ? Stream.empty() : statuses(pod.getStatus().getInitContainerStatuses());
    }

    private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
        return statuses == null ? Stream.empty() : statuses.stream();
    }
}
