package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** What the supervision of a completed deployment saw change; ignored unless the deployment is Completed. */
public record RecordDeploymentHealthChangeCommand(@TargetAggregateIdentifier String deploymentId, OverallHealth health,
                                                  List<InstanceHealth> instances, String reason) {
}
