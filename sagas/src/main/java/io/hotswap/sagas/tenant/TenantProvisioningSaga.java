package io.hotswap.sagas.tenant;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.tenant.RecordTenantClusterObjectProvisionedCommand;
import io.hotswap.api.tenant.RecordTenantProvisioningFailureCommand;
import io.hotswap.api.tenant.TenantActivated;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.api.tenant.TenantClusterObjectProvisioned;
import io.hotswap.api.tenant.TenantProvisioningStarted;
import io.hotswap.api.tenant.TenantQuotas;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Provisions a new tenant's objects in the cluster, one {@link TenantClusterObject} at a time in their order: each is
 * created or patched to its desired state, then recorded on the tenant, whose event moves the saga to the next one.
 * The tenant becomes Active with the last, which ends the saga.
 *
 * <p>A failed attempt is recorded with the cluster's answer and repeated on a persistent deadline, after
 * {@link RetryBackOff}. It is repeated for as long as it takes, with no timeout: a tenant left Provisioning by a saga
 * that gave up would need an operator, while a cluster that comes back finishes it on its own.
 *
 * <p>A restarted server carries on from the stored saga, its pending event or its deadline. A step may then run twice;
 * that is harmless, because provisioning is create-or-patch and the tenant records an object once. As in
 * DeploymentSaga, deadlines are never cancelled (db-scheduler 16.7.1 fails to cancel one that is executing): each
 * carries its attempt number, and one for an earlier attempt does nothing. Its payload is a String because deadline
 * data is stored Java-serialized.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class TenantProvisioningSaga {

    static final String ASSOCIATION = "tenantId";
    static final String RETRY = "provisioning-retry";

    private static final Logger log = LoggerFactory.getLogger(TenantProvisioningSaga.class);

    private String tenantId;
    private String namespace;
    private TenantQuotas quotas;
    private TenantClusterObject next;
    private int failedAttempts; // of the next object; the pending retry deadline carries this number

    @StartSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(TenantProvisioningStarted event, @Timestamp Instant now, TenantProvisioner provisioner,
            CommandGateway commands, DeadlineManager deadlines) {
        tenantId = event.tenantId();
        namespace = event.namespace();
        quotas = event.quotas();
        next = TenantClusterObject.first();
        provisionNext(now, provisioner, commands, deadlines);
    }

    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(TenantClusterObjectProvisioned event, @Timestamp Instant now, TenantProvisioner provisioner,
            CommandGateway commands, DeadlineManager deadlines) {
        if (event.object() != next) return; // seen already: a step that ran twice
        failedAttempts = 0;
        next = event.object().following().stream().findFirst().orElse(null);
        if (next != null) provisionNext(now, provisioner, commands, deadlines);
    }

    @DeadlineHandler(deadlineName = RETRY)
    void retry(String attempt, @Timestamp Instant now, TenantProvisioner provisioner, CommandGateway commands,
               DeadlineManager deadlines) {
        if (next == null || Integer.parseInt(attempt) != failedAttempts) return;
        provisionNext(now, provisioner, commands, deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ASSOCIATION)
    void on(TenantActivated event) {
        // a retry deadline still pending finds no saga when it fires, and does nothing
    }

    /** {@code now} is the time of the event or deadline that led here: the saga's time, however late it runs. */
    private void provisionNext(Instant now, TenantProvisioner provisioner, CommandGateway commands,
                               DeadlineManager deadlines) {
        try {
            provisioner.provision(next, new TenantSpec(tenantId, namespace, quotas));
        } catch (TenantProvisioningException e) {
            failedAttempts++;
            Duration delay = RetryBackOff.after(failedAttempts);
            deadlines.schedule(delay, RETRY, Integer.toString(failedAttempts));
            send(commands, new RecordTenantProvisioningFailureCommand(tenantId, next, next + " in namespace '"
                    + namespace + "' was not provisioned: " + e.getMessage(), failedAttempts,
                    now.plus(delay)));
            return;
        }
        send(commands, new RecordTenantClusterObjectProvisionedCommand(tenantId, next));
    }

    /** A conflict means the tenant is no longer Provisioning: there is nothing left to record. */
    private void send(CommandGateway commands, Object command) {
        try {
            commands.sendAndWait(command);
        } catch (ConflictException e) {
            log.info("Tenant {}: {} not applied: {}", tenantId, command.getClass().getSimpleName(), e.getMessage());
        }
    }
}
