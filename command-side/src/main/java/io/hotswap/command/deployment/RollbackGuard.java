package io.hotswap.command.deployment;

/** Asks the deployment's tenant whether rolling back a completed deployment would break another plugin. */
public interface RollbackGuard {

    /** @throws io.hotswap.api.error.ConflictException when another plugin depends on the version leaving */
    void check(String tenantId, String deploymentId);
}
