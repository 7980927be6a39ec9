package io.hotswap.sagas.deployment;

import io.hotswap.api.deployment.InstanceHealth;

import java.time.Instant;
import java.util.List;

/**
 * Where the supervision of a completed deployment leaves each check it makes, so that its health always says when it
 * was last checked. Only changes of state become events; this keeps the latest check, whatever it found.
 */
public interface HealthLog {

    void record(String deploymentId, List<InstanceHealth> instances, Instant checkedAt);
}
