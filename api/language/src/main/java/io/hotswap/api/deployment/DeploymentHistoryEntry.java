package io.hotswap.api.deployment;

import java.time.Instant;

public record DeploymentHistoryEntry(Instant at, String event, DeploymentStatus status, int percentage,
                                     String detail, String actor) {
}
