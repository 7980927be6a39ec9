package io.hotswap.command.tenant;

import io.hotswap.api.error.ConflictException;
import io.hotswap.api.tenant.CreateTenantCommand;
import io.hotswap.api.tenant.DeploymentQuotaReservation;
import io.hotswap.api.tenant.ReleaseDeploymentQuotaCommand;
import io.hotswap.api.tenant.ReserveDeploymentQuotaCommand;
import io.hotswap.api.tenant.SettleDeploymentQuotaCommand;
import io.hotswap.api.tenant.TenantCreated;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaReserved;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.api.tenant.TenantUsage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.hotswap.command.Refusals.conflict;
import static org.assertj.core.api.Assertions.assertThat;

class TenantTest {

    private static final String TENANT = "acme";
    private static final String PLUGIN = "weather";
    private static final String PROD = "Production";
    private static final TenantQuotas QUOTAS = new TenantQuotas(2, 4.0, 8.0);
    private static final TenantCreated CREATED = new TenantCreated(TENANT, "Acme Corp", "acme-ns", QUOTAS);

    private FixtureConfiguration<Tenant> fixture;
    private InMemoryTenantDirectory directory;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        directory = new InMemoryTenantDirectory(10);
        fixture.registerInjectableResource(directory);
    }

    // --- creation ---

    @Test
    void createsATenantAndClaimsItsIdAndNamespace() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand(TENANT, "Acme Corp", "acme-ns", QUOTAS))
                .expectSuccessfulHandlerExecution()
                .expectEvents(CREATED);

        assertThat(directory.claims).containsExactly(Map.entry(TENANT, "acme-ns"));
    }

    @Test
    void refusesADuplicateTenantIdWithoutEvents() {
        directory.claim(TENANT, "acme-ns");

        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand(TENANT, "Acme again", "other-ns", QUOTAS))
                .expectException(conflict("tenant-exists", Map.of("tenantId", TENANT)))
                .expectNoEvents();

        assertThat(directory.claims).containsExactly(Map.entry(TENANT, "acme-ns"));
    }

    @Test
    void refusesANamespaceAnotherTenantUsesWithoutEvents() {
        directory.claim("globex", "shared-ns");

        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand(TENANT, "Acme Corp", "shared-ns", QUOTAS))
                .expectException(conflict("namespace-taken", Map.of("namespace", "shared-ns")))
                .expectNoEvents();
    }

    @Test
    void refusesATenantBeyondTheTenantLimitWithoutEvents() {
        directory = new InMemoryTenantDirectory(1);
        fixture = new AggregateTestFixture<>(Tenant.class);
        fixture.registerInjectableResource(directory);
        directory.claim("globex", "globex-ns");

        fixture.givenNoPriorActivity()
                .when(new CreateTenantCommand(TENANT, "Acme Corp", "acme-ns", QUOTAS))
                .expectException(conflict("tenant-limit-reached"))
                .expectNoEvents();
    }

    // --- reservation ---

    @Test
    void reservesQuotaAndReportsTheUsageAfterwards() {
        fixture.given(CREATED)
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0))
                .expectEvents(new TenantQuotaReserved(TENANT, "d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0,
                        new TenantUsage(1, 1.0, 2.0)))
                .expectResultMessagePayload(new DeploymentQuotaReservation("d1", null));
    }

    @Test
    void addsANewReservationToWhatOtherDeploymentsHold() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)))
                .when(reserve("d2", "billing", "3.1.0", PROD, 0.5, 1.5))
                .expectEvents(new TenantQuotaReserved(TENANT, "d2", "billing", "3.1.0", PROD, 0.5, 1.5,
                        new TenantUsage(2, 1.5, 3.5)))
                .expectResultMessagePayload(new DeploymentQuotaReservation("d2", null));
    }

    @Test
    void countsAPluginOnlyOnceAcrossEnvironments() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)))
                .when(reserve("d2", PLUGIN, "1.0.0", "Staging", 1.0, 2.0))
                .expectEvents(new TenantQuotaReserved(TENANT, "d2", PLUGIN, "1.0.0", "Staging", 1.0, 2.0,
                        new TenantUsage(1, 2.0, 4.0)));
    }

    @Test
    void acceptsAReservationThatFillsTheQuotaExactly() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 2.5, 5.0, new TenantUsage(1, 2.5, 5.0)))
                .when(reserve("d2", "billing", "1.0.0", PROD, 1.5, 3.0))
                .expectEvents(new TenantQuotaReserved(TENANT, "d2", "billing", "1.0.0", PROD, 1.5, 3.0,
                        new TenantUsage(2, 4.0, 8.0)));
    }

    @Test
    void refusesReservationBeyondPluginQuota() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)),
                        reserved("d2", "billing", "1.0.0", PROD, 0.5, 1.0, new TenantUsage(2, 1.0, 2.0)))
                .when(reserve("d3", "search", "1.0.0", PROD, 0.5, 1.0))
                .expectException(conflict("quota-exceeded", Map.of("quota", "maxPlugins", "required", 3.0,
                        "limit", 2.0, "usage", new TenantUsage(2, 1.0, 2.0))))
                .expectNoEvents();
    }

    @Test
    void refusesReservationBeyondCpuQuota() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 3.0, 1.0, new TenantUsage(1, 3.0, 1.0)))
                .when(reserve("d2", "billing", "1.0.0", PROD, 1.5, 1.0))
                .expectException(conflict("quota-exceeded", Map.of("quota", "maxCpu", "required", 4.5,
                        "limit", 4.0)))
                .expectNoEvents();
    }

    @Test
    void refusesReservationBeyondMemoryQuota() {
        fixture.given(CREATED)
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 0.5, 8.5))
                .expectException(conflict("quota-exceeded", Map.of("quota", "maxMemoryGB", "required", 8.5,
                        "limit", 8.0, "usage", TenantUsage.NONE)))
                .expectNoEvents();
    }

    @Test
    void refusesASecondDeploymentOfTheSamePluginToTheSameEnvironmentWhileTheFirstIsUnsettled() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, new TenantUsage(1, 1.0, 1.0)))
                .when(reserve("d2", PLUGIN, "1.1.0", PROD, 1.0, 1.0))
                .expectException(conflict("deployment-in-progress", Map.of("activeDeploymentId", "d1")))
                .expectNoEvents();
    }

    @Test
    void treatsEnvironmentNamesCaseInsensitivelyForTheOneActiveDeploymentRule() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, new TenantUsage(1, 1.0, 1.0)))
                .when(reserve("d2", PLUGIN, "1.1.0", "production", 1.0, 1.0))
                .expectException(conflict("deployment-in-progress", Map.of("activeDeploymentId", "d1")))
                .expectNoEvents();
    }

    @Test
    void allowsTheSamePluginInADifferentEnvironmentWhileOneIsActive() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, new TenantUsage(1, 1.0, 1.0)))
                .when(reserve("d2", PLUGIN, "1.1.0", "Staging", 1.0, 1.0))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new TenantQuotaReserved(TENANT, "d2", PLUGIN, "1.1.0", "Staging", 1.0, 1.0,
                        new TenantUsage(1, 2.0, 2.0)))
                .expectResultMessagePayload(new DeploymentQuotaReservation("d2", null));
    }

    @Test
    void freesTheSlotOnceTheActiveDeploymentIsReleased() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 3.0, 1.0, new TenantUsage(1, 3.0, 1.0)),
                        new TenantQuotaReleased(TENANT, "d1", 3.0, 1.0, TenantUsage.NONE))
                .when(reserve("d2", PLUGIN, "1.1.0", PROD, 3.0, 1.0))
                .expectEvents(new TenantQuotaReserved(TENANT, "d2", PLUGIN, "1.1.0", PROD, 3.0, 1.0,
                        new TenantUsage(1, 3.0, 1.0)))
                .expectResultMessagePayload(new DeploymentQuotaReservation("d2", null));
    }

    // --- release ---

    @Test
    void releasesAReservationAndReportsTheRemainingUsage() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        reserved("d2", "billing", "1.0.0", PROD, 0.5, 1.0, new TenantUsage(2, 1.5, 3.0)))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "d1"))
                .expectEvents(new TenantQuotaReleased(TENANT, "d1", 1.0, 2.0, new TenantUsage(1, 0.5, 1.0)));
    }

    @Test
    void releasingAnUnknownDeploymentIsANoOp() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "no-such-deployment"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void releasingTwiceIsANoOp() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        new TenantQuotaReleased(TENANT, "d1", 1.0, 2.0, TenantUsage.NONE))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "d1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void releasedQuotaCanBeReservedAgain() {
        fixture.given(CREATED)
                .andGivenCommands(reserve("d1", PLUGIN, "1.0.0", PROD, 4.0, 8.0),
                        new ReleaseDeploymentQuotaCommand(TENANT, "d1"))
                .when(reserve("d2", "billing", "1.0.0", PROD, 4.0, 8.0))
                .expectEvents(new TenantQuotaReserved(TENANT, "d2", "billing", "1.0.0", PROD, 4.0, 8.0,
                        new TenantUsage(1, 4.0, 8.0)));
    }

    // --- settlement ---

    @Test
    void settlesAReservationWithoutReleasingAnythingOnAFirstInstall() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d1"))
                .expectEvents(new TenantQuotaSettled(TENANT, "d1", PLUGIN, "1.0.0", PROD));
    }

    @Test
    void settlingReleasesThePreviouslySettledReservationOfTheSameSlot() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        new TenantQuotaSettled(TENANT, "d1", PLUGIN, "1.0.0", PROD),
                        reserved("d2", PLUGIN, "2.0.0", PROD, 1.5, 3.0, new TenantUsage(1, 2.5, 5.0)))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d2"))
                .expectEvents(
                        new TenantQuotaReleased(TENANT, "d1", 1.0, 2.0, new TenantUsage(1, 1.5, 3.0)),
                        new TenantQuotaSettled(TENANT, "d2", PLUGIN, "2.0.0", PROD));
    }

    @Test
    void settlingLeavesTheStableVersionOfOtherEnvironmentsAlone() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", "Staging", 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        new TenantQuotaSettled(TENANT, "d1", PLUGIN, "1.0.0", "Staging"),
                        reserved("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 2.0, 4.0)))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d2"))
                .expectEvents(new TenantQuotaSettled(TENANT, "d2", PLUGIN, "2.0.0", PROD));
    }

    @Test
    void settlingAnAlreadySettledDeploymentIsANoOp() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        new TenantQuotaSettled(TENANT, "d1", PLUGIN, "1.0.0", PROD))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void settlingAnUnknownOrReleasedDeploymentIsANoOp() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        new TenantQuotaReleased(TENANT, "d1", 1.0, 2.0, TenantUsage.NONE))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aReservationAfterASettledOneNamesTheSettledVersionAsPreviousStable() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        new TenantQuotaSettled(TENANT, "d1", PLUGIN, "1.0.0", PROD))
                .when(reserve("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0))
                // the settled version keeps running (and holding quota) until the new one settles
                .expectEvents(new TenantQuotaReserved(TENANT, "d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0,
                        new TenantUsage(1, 2.0, 4.0)))
                .expectResultMessagePayload(new DeploymentQuotaReservation("d2", "1.0.0"));
    }

    @Test
    void previousStableVersionFollowsTheLatestSettlementWhenDrivenByCommands() {
        fixture.given(CREATED)
                .andGivenCommands(
                        reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0),
                        new SettleDeploymentQuotaCommand(TENANT, "d1"),
                        reserve("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0),
                        new SettleDeploymentQuotaCommand(TENANT, "d2"))
                .when(reserve("d3", PLUGIN, "3.0.0", PROD, 1.0, 2.0))
                .expectEvents(new TenantQuotaReserved(TENANT, "d3", PLUGIN, "3.0.0", PROD, 1.0, 2.0,
                        new TenantUsage(1, 2.0, 4.0)))
                .expectResultMessagePayload(new DeploymentQuotaReservation("d3", "2.0.0"));
    }

    @Test
    void previousStableVersionIsPerEnvironment() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", "Staging", 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        new TenantQuotaSettled(TENANT, "d1", PLUGIN, "1.0.0", "Staging"))
                .when(reserve("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0))
                .expectResultMessagePayload(new DeploymentQuotaReservation("d2", null));
    }

    // --- helpers ---

    private static ReserveDeploymentQuotaCommand reserve(String deploymentId, String pluginId, String version,
                                                         String environment, double cpu, double memoryGB) {
        return new ReserveDeploymentQuotaCommand(TENANT, deploymentId, pluginId, version, environment, cpu, memoryGB);
    }

    private static TenantQuotaReserved reserved(String deploymentId, String pluginId, String version,
                                                String environment, double cpu, double memoryGB, TenantUsage after) {
        return new TenantQuotaReserved(TENANT, deploymentId, pluginId, version, environment, cpu, memoryGB, after);
    }

    /** Refuses what {@link JdbcTenantDirectory} refuses, with the same problem types, in memory. */
    static final class InMemoryTenantDirectory implements TenantDirectory {

        final Map<String, String> claims = new HashMap<>();
        private final int maxTenants;

        InMemoryTenantDirectory(int maxTenants) {
            this.maxTenants = maxTenants;
        }

        @Override
        public void claim(String tenantId, String namespace) {
            if (claims.containsKey(tenantId)) {
                throw new ConflictException("tenant-exists", "Tenant '" + tenantId + "' already exists",
                        Map.of("tenantId", tenantId));
            }
            if (claims.containsValue(namespace)) {
                throw new ConflictException("namespace-taken", "Namespace '" + namespace + "' is already used",
                        Map.of("namespace", namespace));
            }
            if (claims.size() >= maxTenants) {
                throw new ConflictException("tenant-limit-reached", "The system holds its maximum of " + maxTenants
                        + " tenants", Map.of("maxTenants", maxTenants));
            }
            claims.put(tenantId, namespace);
        }
    }
}
