package io.hotswap.command.tenant;

import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.tenant.CreateTenantCommand;
import io.hotswap.api.tenant.RecordTenantClusterObjectProvisionedCommand;
import io.hotswap.api.tenant.RecordTenantProvisioningFailureCommand;
import io.hotswap.api.tenant.ReserveDeploymentQuotaCommand;
import io.hotswap.api.tenant.TenantActivated;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.api.tenant.TenantClusterObjectProvisioned;
import io.hotswap.api.tenant.TenantCreated;
import io.hotswap.api.tenant.TenantProvisioningFailed;
import io.hotswap.api.tenant.TenantProvisioningStarted;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.api.tenant.TenantStatus;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.hotswap.api.tenant.TenantClusterObject.Namespace;
import static io.hotswap.api.tenant.TenantClusterObject.NetworkPolicies;
import static io.hotswap.api.tenant.TenantClusterObject.ResourceQuota;
import static io.hotswap.api.tenant.TenantClusterObject.ServiceAccount;
import static io.hotswap.command.Refusals.conflict;

/** The Tenant's rules while its objects are provisioned in a cluster (Runtime.Provider Kubernetes). */
class TenantProvisioningTest {

    private static final String TENANT = "acme";
    private static final String NS = "acme-ns";
    private static final TenantQuotas QUOTAS = new TenantQuotas(2, 4.0, 8.0);
    private static final TenantCreated CREATED = new TenantCreated(TENANT, "Acme Corp", NS, QUOTAS);
    private static final TenantProvisioningStarted STARTED = new TenantProvisioningStarted(TENANT, NS, QUOTAS);
    private static final Instant RETRY_AT = Instant.parse("2025-11-23T10:00:02Z");

    private FixtureConfiguration<Tenant> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        fixture.registerInjectableResource(new TenantTest.InMemoryTenantDirectory(10));
        fixture.registerInjectableResource(new TenantProvisioning(true));
    }

    @Test
    void aTenantCreatedOnKubernetesStartsProvisioning() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand(TENANT, "Acme Corp", NS, QUOTAS))
                .expectEvents(CREATED, STARTED);
    }

    /** What the API answers before its read model has caught up. */
    @Test
    void aTenantCreatedOnKubernetesAnswersProvisioning() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand(TENANT, "Acme Corp", NS, QUOTAS))
                .expectResultMessagePayload(TenantStatus.Provisioning);
    }

    @Test
    void recordsEachProvisionedObject() {
        fixture.given(CREATED, STARTED)
                .when(new RecordTenantClusterObjectProvisionedCommand(TENANT, Namespace))
                .expectEvents(new TenantClusterObjectProvisioned(TENANT, NS, Namespace));
    }

    @Test
    void becomesActiveWithItsLastObject() {
        fixture.given(CREATED, STARTED, provisioned(Namespace), provisioned(ResourceQuota), provisioned(NetworkPolicies))
                .when(new RecordTenantClusterObjectProvisionedCommand(TENANT, ServiceAccount))
                .expectEvents(provisioned(ServiceAccount), new TenantActivated(TENANT));
    }

    @Test
    void anObjectRecordedTwiceIsRecordedOnce() {
        fixture.given(CREATED, STARTED, provisioned(Namespace))
                .when(new RecordTenantClusterObjectProvisionedCommand(TENANT, Namespace))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void recordsAFailedAttemptWithItsReason() {
        fixture.given(CREATED, STARTED, provisioned(Namespace))
                .when(new RecordTenantProvisioningFailureCommand(TENANT, ResourceQuota, "HTTP 500", 1, RETRY_AT))
                .expectEvents(new TenantProvisioningFailed(TENANT, NS, ResourceQuota, "HTTP 500", 1, RETRY_AT));
    }

    /** A tenant created by an earlier build, or with the local runtime, was Active at once. */
    @Test
    void refusesToProvisionAnActiveTenant() {
        fixture.given(CREATED)
                .when(new RecordTenantClusterObjectProvisionedCommand(TENANT, Namespace))
                .expectException(conflict("tenant-not-provisioning"))
                .expectNoEvents();
    }

    @Test
    void refusesAFailureOfAnActiveTenant() {
        fixture.given(CREATED, STARTED, provisioned(Namespace), provisioned(ResourceQuota),
                        provisioned(NetworkPolicies), provisioned(ServiceAccount), new TenantActivated(TENANT))
                .when(new RecordTenantProvisioningFailureCommand(TENANT, ResourceQuota, "HTTP 500", 1, RETRY_AT))
                .expectException(conflict("tenant-not-provisioning"))
                .expectNoEvents();
    }

    @Test
    void takesNoDeploymentsWhileProvisioning() {
        fixture.given(CREATED, STARTED, provisioned(Namespace))
                .when(new ReserveDeploymentQuotaCommand(TENANT, "d1", "weather", "1.0.0", "Production", 1,
                        new PluginResources(0.5, 512), new DeploymentPlan(DeploymentStrategy.Direct,
                        List.of(new DeploymentStep(100, 1, 0)), 30, 2, 600), List.of()))
                .expectException(conflict("tenant-not-active"))
                .expectNoEvents();
    }

    private static TenantClusterObjectProvisioned provisioned(TenantClusterObject object) {
        return new TenantClusterObjectProvisioned(TENANT, NS, object);
    }
}
