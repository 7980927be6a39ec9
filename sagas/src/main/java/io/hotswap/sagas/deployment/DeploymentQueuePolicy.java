package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.ActivateDeploymentCommand;
import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.deployment.DeploymentStarted;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

import java.time.Instant;

/**
 * Starts deployments when a slot is free: at most {@code MaxConcurrentDeployments} run at once, the rest wait as
 * {@code Queued}. The queue changes and the activations commit with this processor's token, so a crash neither
 * loses nor repeats one.
 */
@ProcessingGroup(DeploymentQueuePolicy.PROCESSING_GROUP)
public class DeploymentQueuePolicy {

    public static final String PROCESSING_GROUP = "deployment-queue";

    private final DeploymentQueue queue;
    private final CommandGateway commands;
    private final int maxConcurrent;

    public DeploymentQueuePolicy(DeploymentQueue queue, CommandGateway commands, int maxConcurrent) {
        this.queue = queue;
        this.commands = commands;
        this.maxConcurrent = maxConcurrent;
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentStarted event, @Timestamp Instant at) {
        queue.enqueue(event.deploymentId(), event.tenantId(), at);
        admit();
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentCompleted event) {
        finish(event.deploymentId());
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentRolledBack event) {
        finish(event.deploymentId());
    }

    @EventHandler
    @DisallowReplay
    void on(DeploymentFailed event) {
        finish(event.deploymentId());
    }

    private void finish(String deploymentId) {
        queue.finish(deploymentId);
        admit();
    }

    private void admit() {
        queue.admit(maxConcurrent).forEach(id -> commands.sendAndWait(new ActivateDeploymentCommand(id)));
    }
}
