package io.hotswap.sagas.tenant;

import io.hotswap.api.tenant.RecordTenantClusterObjectProvisionedCommand;
import io.hotswap.api.tenant.RecordTenantProvisioningFailureCommand;
import io.hotswap.api.tenant.TenantActivated;
import io.hotswap.api.tenant.TenantClusterObject;
import io.hotswap.api.tenant.TenantClusterObjectProvisioned;
import io.hotswap.api.tenant.TenantProvisioningStarted;
import io.hotswap.api.tenant.TenantQuotas;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.hotswap.api.tenant.TenantClusterObject.Namespace;
import static io.hotswap.api.tenant.TenantClusterObject.NetworkPolicies;
import static io.hotswap.api.tenant.TenantClusterObject.ResourceQuota;
import static io.hotswap.api.tenant.TenantClusterObject.ServiceAccount;
import static org.assertj.core.api.Assertions.assertThat;

class TenantProvisioningSagaTest {

    private static final String TENANT = "acme";
    private static final String NS = "acme-ns";
    private static final TenantProvisioningStarted STARTED =
            new TenantProvisioningStarted(TENANT, NS, new TenantQuotas(5, 8.0, 16.0));

    private SagaTestFixture<TenantProvisioningSaga> fixture;
    private FakeTenantProvisioner provisioner;

    @BeforeEach
    void setUp() {
        provisioner = new FakeTenantProvisioner();
        fixture = new SagaTestFixture<>(TenantProvisioningSaga.class);
        fixture.registerResource(provisioner);
    }

    @Test
    void provisionsTheNamespaceFirst() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(STARTED)
                .expectActiveSagas(1)
                .expectAssociationWith(TenantProvisioningSaga.ASSOCIATION, TENANT)
                .expectDispatchedCommands(new RecordTenantClusterObjectProvisionedCommand(TENANT, Namespace))
                .expectNoScheduledDeadlines();
        assertThat(provisioner.provisioned).containsExactly(Namespace);
    }

    @Test
    void eachRecordedObjectLeadsToTheNext() {
        fixture.givenAPublished(STARTED).andThenAPublished(provisioned(Namespace))
                .whenPublishingA(provisioned(ResourceQuota))
                .expectDispatchedCommands(new RecordTenantClusterObjectProvisionedCommand(TENANT, NetworkPolicies));
        assertThat(provisioner.provisioned).containsExactly(Namespace, ResourceQuota, NetworkPolicies);
    }

    @Test
    void provisionsNothingMoreAfterTheLastObject() {
        fixture.givenAPublished(STARTED).andThenAPublished(provisioned(Namespace))
                .andThenAPublished(provisioned(ResourceQuota)).andThenAPublished(provisioned(NetworkPolicies))
                .whenPublishingA(provisioned(ServiceAccount))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }

    @Test
    void anObjectSeenTwiceIsProvisionedOnce() {
        fixture.givenAPublished(STARTED).andThenAPublished(provisioned(Namespace))
                .whenPublishingA(provisioned(Namespace))
                .expectNoDispatchedCommands();
        assertThat(provisioner.provisioned).containsExactly(Namespace, ResourceQuota);
    }

    @Test
    void endsWhenTheTenantIsActive() {
        fixture.givenAPublished(STARTED)
                .whenPublishingA(new TenantActivated(TENANT))
                .expectActiveSagas(0);
    }

    @Test
    void recordsAFailedAttemptWithTheClustersAnswerAndTriesAgainInASecond() {
        provisioner.failNext(1);
        fixture.givenNoPriorActivity()
                .whenPublishingA(STARTED)
                .expectDispatchedCommands(new RecordTenantProvisioningFailureCommand(TENANT, Namespace,
                        "Namespace in namespace 'acme-ns' was not provisioned: the API server answered 500 Internal "
                                + "Server Error", 1, fixture.currentTime().plusSeconds(1)))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(1), TenantProvisioningSaga.RETRY);
    }

    @Test
    void theNextAttemptProvisionsWhatFailed() {
        provisioner.failNext(1);
        fixture.givenAPublished(STARTED)
                .whenTimeElapses(Duration.ofSeconds(1))
                .expectDispatchedCommands(new RecordTenantClusterObjectProvisionedCommand(TENANT, Namespace));
        assertThat(provisioner.provisioned).containsExactly(Namespace);
    }

    @Test
    void waitsLongerAfterEachFailedAttempt() {
        provisioner.failNext(2);
        fixture.givenAPublished(STARTED)
                .whenTimeElapses(Duration.ofSeconds(1))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(2), TenantProvisioningSaga.RETRY);
    }

    private static TenantClusterObjectProvisioned provisioned(TenantClusterObject object) {
        return new TenantClusterObjectProvisioned(TENANT, NS, object);
    }
}
