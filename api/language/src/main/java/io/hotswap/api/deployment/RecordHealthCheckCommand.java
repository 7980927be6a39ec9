package io.hotswap.api.deployment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

public record RecordHealthCheckCommand(@TargetAggregateIdentifier String deploymentId, List<InstanceHealth> instances) {

    public RecordHealthCheckCommand {
        instances = List.copyOf(instances);
    }
}
