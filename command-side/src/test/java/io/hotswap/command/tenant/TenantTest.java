package io.hotswap.command.tenant;

import io.hotswap.api.deployment.DependencyConflict;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.plugin.PluginDependency;
import io.hotswap.api.plugin.PluginResources;
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
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import static io.hotswap.command.Refusals.conflict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

class TenantTest {

    private static final String TENANT = "acme";
    private static final String PLUGIN = "weather";
    private static final String GEO = "geo";
    private static final String PROD = "Production";
    private static final String STAGING = "Staging";
    private static final TenantQuotas QUOTAS = new TenantQuotas(2, 4.0, 8.0);
    private static final TenantCreated CREATED = new TenantCreated(TENANT, "Acme Corp", "acme-ns", QUOTAS);
    private static final PluginDependency GEO_1 = new PluginDependency(GEO, "^1.0.0");
    /** geo 1.4.0, the stable version in Production: a first install */
    private static final TenantQuotaReserved G1_RESERVED = reserved("g1", GEO, "1.4.0", PROD,
            0.5, 1.0, List.of(), new TenantUsage(1, 0.5, 1.0));
    private static final TenantQuotaSettled G1_SETTLED = new TenantQuotaSettled(TENANT, "g1", GEO, "1.4.0", PROD, null,
            new TenantUsage(1, 0.5, 1.0));

    private FixtureConfiguration<Tenant> fixture;
    private InMemoryTenantDirectory directory;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        directory = new InMemoryTenantDirectory(10);
        fixture.registerInjectableResource(directory);
        fixture.registerInjectableResource(TenantProvisioning.OFF);
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
        fixture.registerInjectableResource(TenantProvisioning.OFF);
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
                .expectEvents(reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, List.of(),
                        new TenantUsage(1, 1.0, 2.0)))
                .expectResultMessagePayloadMatching(granted("d1", null));
    }

    @Test
    void addsANewReservationToWhatOtherDeploymentsHold() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)))
                .when(reserve("d2", "billing", "3.1.0", PROD, 0.5, 1.5))
                .expectEvents(reserved("d2", "billing", "3.1.0", PROD, 0.5, 1.5, new TenantUsage(2, 1.5, 3.5)))
                .expectResultMessagePayloadMatching(granted("d2", null));
    }

    @Test
    void countsAPluginOnlyOnceAcrossEnvironments() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)))
                .when(reserve("d2", PLUGIN, "1.0.0", STAGING, 1.0, 2.0))
                .expectEvents(reserved("d2", PLUGIN, "1.0.0", STAGING, 1.0, 2.0, new TenantUsage(1, 2.0, 4.0)));
    }

    @Test
    void reportsUsageRoundedForPeople() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 0.1, 0.1, new TenantUsage(1, 0.1, 0.1)))
                .when(reserve("d2", "billing", "1.0.0", PROD, 0.2, 0.2))
                // 0.1 + 0.2 is 0.30000000000000004 in doubles
                .expectEvents(reserved("d2", "billing", "1.0.0", PROD, 0.2, 0.2, new TenantUsage(2, 0.3, 0.3)));
    }

    @Test
    void acceptsAReservationThatFillsTheQuotaExactly() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 2.5, 5.0, new TenantUsage(1, 2.5, 5.0)))
                .when(reserve("d2", "billing", "1.0.0", PROD, 1.5, 3.0))
                .expectEvents(reserved("d2", "billing", "1.0.0", PROD, 1.5, 3.0, new TenantUsage(2, 4.0, 8.0)));
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
                .when(reserve("d2", PLUGIN, "1.1.0", STAGING, 1.0, 1.0))
                .expectSuccessfulHandlerExecution()
                .expectEvents(reserved("d2", PLUGIN, "1.1.0", STAGING, 1.0, 1.0, new TenantUsage(1, 2.0, 2.0)))
                .expectResultMessagePayloadMatching(granted("d2", null));
    }

    @Test
    void freesTheSlotOnceTheActiveDeploymentIsReleased() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 3.0, 1.0, new TenantUsage(1, 3.0, 1.0)),
                        released("d1", 3.0, 1.0, null, TenantUsage.NONE))
                .when(reserve("d2", PLUGIN, "1.1.0", PROD, 3.0, 1.0))
                .expectEvents(reserved("d2", PLUGIN, "1.1.0", PROD, 3.0, 1.0, new TenantUsage(1, 3.0, 1.0)))
                .expectResultMessagePayloadMatching(granted("d2", null));
    }

    // --- dry run (StartDeploymentCommand with dryRun) ---

    @Test
    void aDryRunAnswersWhatAReservationWouldGrantWithoutEmittingEvents() {
        AtomicReference<DeploymentQuotaReservation> answer = new AtomicReference<>();

        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 2.0)))
                .whenInvoking(TENANT, tenant -> answer.set(tenant.check(reserve("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0))))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectState(tenant -> assertThat(tenant).extracting("reservations").asInstanceOf(MAP)
                        .containsOnlyKeys("d1"));

        assertThat(answer.get().previousStableVersion()).isEqualTo("1.0.0");
    }

    @Test
    void aDryRunHoldsNothingSoTheRealReservationAfterItIsGranted() {
        ReserveDeploymentQuotaCommand command = reserve("d1", PLUGIN, "1.0.0", PROD, 4.0, 8.0);
        AtomicReference<DeploymentQuotaReservation> dryRun = new AtomicReference<>();
        AtomicReference<DeploymentQuotaReservation> granted = new AtomicReference<>();

        // a dry run that held the slot or the quota would make the reservation fail
        fixture.given(CREATED)
                .whenInvoking(TENANT, tenant -> {
                    dryRun.set(tenant.check(command));
                    granted.set(tenant.handle(command));
                })
                .expectEvents(reserved("d1", PLUGIN, "1.0.0", PROD, 4.0, 8.0, new TenantUsage(1, 4.0, 8.0)));

        assertThat(dryRun.get()).isEqualTo(granted.get());
        assertThat(dryRun.get().previousStableVersion()).isNull();
    }

    @Test
    void aDryRunRefusesWhatTheReservationWouldRefuseAndEmitsNothing() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 3.0, 1.0, new TenantUsage(1, 3.0, 1.0)))
                .whenInvoking(TENANT, tenant -> tenant.check(reserve("d2", "billing", "1.0.0", PROD, 1.5, 1.0)))
                .expectException(conflict("quota-exceeded", Map.of("quota", "maxCpu", "required", 4.5,
                        "limit", 4.0)))
                .expectNoEvents();
    }

    @Test
    void aDryRunRefusesABusySlot() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, new TenantUsage(1, 1.0, 1.0)))
                .whenInvoking(TENANT, tenant -> tenant.check(reserve("d2", PLUGIN, "1.1.0", PROD, 1.0, 1.0)))
                .expectException(conflict("deployment-in-progress", Map.of("activeDeploymentId", "d1")))
                .expectNoEvents();
    }

    @Test
    void aDryRunRefusesUnmetDependencies() {
        fixture.given(CREATED)
                .whenInvoking(TENANT, tenant -> tenant.check(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1)))
                .expectException(conflict("dependencies-unmet", Map.of("missing", List.of(GEO_1),
                        "conflicts", List.of())))
                .expectNoEvents();
    }

    // --- dependencies ---

    @Test
    void acceptsAndRecordsDependenciesThatRunStableInTheSameEnvironment() {
        fixture.given(CREATED,
                        reserved("g1", GEO, "1.4.0", PROD, 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)),
                        settled("g1", GEO, "1.4.0", PROD, null, new TenantUsage(1, 0.5, 1.0)))
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1))
                .expectEvents(reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, List.of(GEO_1),
                        new TenantUsage(2, 1.5, 3.0)))
                .expectResultMessagePayloadMatching(granted("d1", null));
    }

    @Test
    void refusesADependencyThatIsNotDeployedAtAll() {
        fixture.given(CREATED)
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1))
                .expectException(conflict("dependencies-unmet", Map.of("missing", List.of(GEO_1),
                        "conflicts", List.of())))
                .expectNoEvents();
    }

    @Test
    void refusesADependencyWhoseDeploymentHasNotSettledYet() {
        fixture.given(CREATED, reserved("g1", GEO, "1.4.0", PROD, 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)))
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1))
                .expectException(conflict("dependencies-unmet", Map.of("missing", List.of(GEO_1),
                        "conflicts", List.of())))
                .expectNoEvents();
    }

    @Test
    void aDependencySettledOnlyInAnotherEnvironmentCountsAsMissing() {
        fixture.given(CREATED,
                        reserved("g1", GEO, "1.4.0", STAGING, 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)),
                        settled("g1", GEO, "1.4.0", STAGING, null, new TenantUsage(1, 0.5, 1.0)))
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1))
                .expectException(conflict("dependencies-unmet", Map.of("missing", List.of(GEO_1),
                        "conflicts", List.of())))
                .expectNoEvents();
    }

    @Test
    void refusesADependencyRunningAVersionOutsideItsRange() {
        fixture.given(CREATED,
                        reserved("g1", GEO, "2.1.0", PROD, 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)),
                        settled("g1", GEO, "2.1.0", PROD, null, new TenantUsage(1, 0.5, 1.0)))
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1))
                .expectException(conflict("dependencies-unmet", Map.of("missing", List.of(),
                        "conflicts", List.of(new DependencyConflict(GEO, "^1.0.0", "2.1.0", PROD)))))
                .expectNoEvents();
    }

    @Test
    void reportsEveryMissingAndConflictingDependencyAtOnce() {
        PluginDependency maps = new PluginDependency("maps", ">=1.2.0 <2.0.0");

        fixture.given(CREATED,
                        reserved("g1", GEO, "0.9.0", PROD, 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)),
                        settled("g1", GEO, "0.9.0", PROD, null, new TenantUsage(1, 0.5, 1.0)))
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1, maps))
                .expectException(conflict("dependencies-unmet", Map.of("missing", List.of(maps),
                        "conflicts", List.of(new DependencyConflict(GEO, "^1.0.0", "0.9.0", PROD)))))
                .expectNoEvents();
    }

    @Test
    void matchesADependencysEnvironmentCaseInsensitively() {
        PluginDependency geoTilde = new PluginDependency(GEO, "~1.4");

        fixture.given(CREATED,
                        reserved("g1", GEO, "1.4.7", "production", 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)),
                        settled("g1", GEO, "1.4.7", "production", null, new TenantUsage(1, 0.5, 1.0)))
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, geoTilde))
                .expectEvents(reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0,
                        List.of(geoTilde), new TenantUsage(2, 1.5, 3.0)));
    }

    @Test
    void judgesADependencyByTheVersionThatNowRunsStable() {
        fixture.given(CREATED,
                        reserved("g1", GEO, "1.4.0", PROD, 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)),
                        settled("g1", GEO, "1.4.0", PROD, null, new TenantUsage(1, 0.5, 1.0)),
                        reserved("g2", GEO, "2.0.0", PROD, 0.5, 1.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("g2", GEO, "2.0.0", PROD, "g1", new TenantUsage(1, 0.5, 1.0)))
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1))
                .expectException(conflict("dependencies-unmet", Map.of("missing", List.of(),
                        "conflicts", List.of(new DependencyConflict(GEO, "^1.0.0", "2.0.0", PROD)))))
                .expectNoEvents();
    }

    @Test
    void aVersionReinstatedByAReleaseSatisfiesDependenciesAgain() {
        fixture.given(CREATED,
                        reserved("g1", GEO, "1.4.0", PROD, 0.5, 1.0, new TenantUsage(1, 0.5, 1.0)),
                        settled("g1", GEO, "1.4.0", PROD, null, new TenantUsage(1, 0.5, 1.0)),
                        reserved("g2", GEO, "2.0.0", PROD, 0.75, 1.5, new TenantUsage(1, 1.25, 2.5)),
                        settled("g2", GEO, "2.0.0", PROD, "g1", new TenantUsage(1, 0.75, 1.5)),
                        released("g2", 0.75, 1.5, "g1", new TenantUsage(1, 0.5, 1.0)))
                .when(reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, GEO_1))
                .expectEvents(reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, List.of(GEO_1),
                        new TenantUsage(2, 1.5, 3.0)));
    }

    // --- release ---

    @Test
    void releasesAReservationAndReportsTheRemainingUsage() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        reserved("d2", "billing", "1.0.0", PROD, 0.5, 1.0, new TenantUsage(2, 1.5, 3.0)))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "d1"))
                .expectEvents(released("d1", 1.0, 2.0, null, new TenantUsage(1, 0.5, 1.0)));
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
                        released("d1", 1.0, 2.0, null, TenantUsage.NONE))
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
                .expectEvents(reserved("d2", "billing", "1.0.0", PROD, 4.0, 8.0, new TenantUsage(1, 4.0, 8.0)));
    }

    @Test
    void releasingAnUnsettledReservationReinstatesNothingAndKeepsTheStableVersion() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 2.0)),
                        reserved("d2", PLUGIN, "2.0.0", PROD, 1.5, 3.0, new TenantUsage(1, 2.5, 5.0)))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "d2"))
                .expectEvents(released("d2", 1.5, 3.0, null, new TenantUsage(1, 1.0, 2.0), "d1"));
    }

    @Test
    void releasingASettledFirstInstallReinstatesNothing() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 2.0)))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "d1"))
                .expectEvents(released("d1", 1.0, 2.0, null, TenantUsage.NONE));
    }

    @Test
    void releasingASettledReservationReinstatesTheOneItReplaced() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 2.0)),
                        reserved("d2", PLUGIN, "2.0.0", PROD, 1.5, 3.0, new TenantUsage(1, 2.5, 5.0)),
                        settled("d2", PLUGIN, "2.0.0", PROD, "d1", new TenantUsage(1, 1.5, 3.0)),
                        reserved("b1", "billing", "1.0.0", PROD, 0.5, 0.5, new TenantUsage(2, 2.0, 3.5)))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "d2"))
                // d1 counts again instead of d2; billing is untouched
                .expectEvents(released("d2", 1.5, 3.0, "d1", new TenantUsage(2, 1.5, 2.5)));
    }

    @Test
    void theReinstatedVersionIsThePreviousStableVersionOfTheNextReservation() {
        fixture.given(CREATED)
                .andGivenCommands(
                        reserve("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0),
                        new SettleDeploymentQuotaCommand(TENANT, "d1"),
                        reserve("d2", PLUGIN, "2.0.0", PROD, 1.5, 3.0),
                        new SettleDeploymentQuotaCommand(TENANT, "d2"),
                        new ReleaseDeploymentQuotaCommand(TENANT, "d2"))
                .when(reserve("d3", PLUGIN, "3.0.0", PROD, 1.0, 2.0))
                .expectEvents(upgrade("d3", PLUGIN, "3.0.0", PROD, 1.0, 2.0, "d1", 0.0, 0.0, new TenantUsage(1, 1.0, 2.0)))
                .expectResultMessagePayloadMatching(granted("d3", "1.0.0"));
    }

    @Test
    void theReinstatedReservationCountsAgainstTheQuotaAgain() {
        fixture.given(CREATED)
                .andGivenCommands(
                        reserve("d1", PLUGIN, "1.0.0", PROD, 2.5, 1.0),
                        new SettleDeploymentQuotaCommand(TENANT, "d1"),
                        reserve("d2", PLUGIN, "2.0.0", PROD, 1.0, 1.0),
                        new SettleDeploymentQuotaCommand(TENANT, "d2"),
                        new ReleaseDeploymentQuotaCommand(TENANT, "d2"))
                .when(reserve("b1", "billing", "1.0.0", PROD, 2.0, 1.0))
                .expectException(conflict("quota-exceeded", Map.of("quota", "maxCpu", "required", 4.5,
                        "limit", 4.0, "usage", new TenantUsage(1, 2.5, 1.0))))
                .expectNoEvents();
    }

    @Test
    void onlyTheDirectlyReplacedVersionIsReinstated() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, new TenantUsage(1, 1.0, 1.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 1.0)),
                        reserved("d2", PLUGIN, "2.0.0", PROD, 2.0, 2.0, new TenantUsage(1, 3.0, 3.0)),
                        settled("d2", PLUGIN, "2.0.0", PROD, "d1", new TenantUsage(1, 2.0, 2.0)),
                        reserved("d3", PLUGIN, "3.0.0", PROD, 3.0, 3.0, new TenantUsage(1, 5.0, 5.0)),
                        settled("d3", PLUGIN, "3.0.0", PROD, "d2", new TenantUsage(1, 3.0, 3.0)))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "d3"))
                .expectEvents(released("d3", 3.0, 3.0, "d2", new TenantUsage(1, 2.0, 2.0)));
    }

    @Test
    void aReinstatedVersionRemembersNothingBeforeIt() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, new TenantUsage(1, 1.0, 1.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 1.0)),
                        reserved("d2", PLUGIN, "2.0.0", PROD, 2.0, 2.0, new TenantUsage(1, 3.0, 3.0)),
                        settled("d2", PLUGIN, "2.0.0", PROD, "d1", new TenantUsage(1, 2.0, 2.0)),
                        reserved("d3", PLUGIN, "3.0.0", PROD, 3.0, 3.0, new TenantUsage(1, 5.0, 5.0)),
                        settled("d3", PLUGIN, "3.0.0", PROD, "d2", new TenantUsage(1, 3.0, 3.0)),
                        released("d3", 3.0, 3.0, "d2", new TenantUsage(1, 2.0, 2.0)))
                .when(new ReleaseDeploymentQuotaCommand(TENANT, "d2"))
                .expectEvents(released("d2", 2.0, 2.0, null, TenantUsage.NONE));
    }

    // --- settlement ---

    @Test
    void settlesAFirstInstallReplacingNothing() {
        fixture.given(CREATED, reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d1"))
                .expectEvents(settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 2.0)));
    }

    @Test
    void settlingReplacesThePreviousStableReservationWithoutReleasingIt() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 2.0)),
                        reserved("d2", PLUGIN, "2.0.0", PROD, 1.5, 3.0, new TenantUsage(1, 2.5, 5.0)))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d2"))
                // exactly one event: no TenantQuotaReleased for d1, which simply stops counting
                .expectEvents(settled("d2", PLUGIN, "2.0.0", PROD, "d1", new TenantUsage(1, 1.5, 3.0)));
    }

    @Test
    void theReplacedReservationNoLongerCountsAgainstTheQuota() {
        fixture.given(CREATED)
                .andGivenCommands(
                        reserve("d1", PLUGIN, "1.0.0", PROD, 2.0, 1.0),
                        new SettleDeploymentQuotaCommand(TENANT, "d1"),
                        reserve("d2", PLUGIN, "2.0.0", PROD, 2.0, 1.0),
                        new SettleDeploymentQuotaCommand(TENANT, "d2"))
                // 2.0 (d2) + 2.0 fits the 4.0 CPU quota only because d1 no longer counts
                .when(reserve("b1", "billing", "1.0.0", PROD, 2.0, 1.0))
                .expectEvents(reserved("b1", "billing", "1.0.0", PROD, 2.0, 1.0, new TenantUsage(2, 4.0, 2.0)));
    }

    @Test
    void settlingLeavesTheStableVersionOfOtherEnvironmentsAlone() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", STAGING, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", STAGING, null, new TenantUsage(1, 1.0, 2.0)),
                        reserved("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 2.0, 4.0)))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d2"))
                .expectEvents(settled("d2", PLUGIN, "2.0.0", PROD, null, new TenantUsage(1, 2.0, 4.0)));
    }

    @Test
    void settlingAnAlreadySettledDeploymentIsANoOp() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 2.0)))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void settlingAnUnknownOrReleasedDeploymentIsANoOp() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        released("d1", 1.0, 2.0, null, TenantUsage.NONE))
                .when(new SettleDeploymentQuotaCommand(TENANT, "d1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aReservationAfterASettledOneNamesTheSettledVersionAsPreviousStable() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", PROD, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 2.0)))
                .when(reserve("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0))
                // one instance replacing one never runs two at once: nothing more is held until the new one settles
                .expectEvents(upgrade("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0, "d1", 0.0, 0.0, new TenantUsage(1, 1.0, 2.0)))
                .expectResultMessagePayloadMatching(granted("d2", "1.0.0"));
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
                .expectEvents(upgrade("d3", PLUGIN, "3.0.0", PROD, 1.0, 2.0, "d2", 0.0, 0.0, new TenantUsage(1, 1.0, 2.0)))
                .expectResultMessagePayloadMatching(granted("d3", "2.0.0"));
    }

    @Test
    void previousStableVersionIsPerEnvironment() {
        fixture.given(CREATED,
                        reserved("d1", PLUGIN, "1.0.0", STAGING, 1.0, 2.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("d1", PLUGIN, "1.0.0", STAGING, null, new TenantUsage(1, 1.0, 2.0)))
                .when(reserve("d2", PLUGIN, "2.0.0", PROD, 1.0, 2.0))
                .expectResultMessagePayloadMatching(granted("d2", null));
    }

    // --- rollback check (RollbackGuard) ---

    @Test
    void refusesToRollBackAFirstInstallThatAnotherPluginInItsEnvironmentDependsOn() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("w1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, List.of(GEO_1), new TenantUsage(2, 1.5, 2.0)),
                        settled("w1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(2, 1.5, 2.0)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g1"))
                .expectException(conflict("dependency-in-use", Map.of("dependents", List.of("weather 1.0.0"))))
                .expectNoEvents();
    }

    @Test
    void refusesWhenTheVersionTheRollbackRestoresIsOutsideADependentsRange() {
        PluginDependency geo2 = new PluginDependency(GEO, "^2.0.0");

        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("g2", GEO, "2.0.0", PROD, 0.5, 1.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("g2", GEO, "2.0.0", PROD, "g1", new TenantUsage(1, 0.5, 1.0)),
                        reserved("w1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, List.of(geo2), new TenantUsage(2, 1.5, 2.0)),
                        settled("w1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(2, 1.5, 2.0)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g2"))
                .expectException(conflict("dependency-in-use", Map.of("dependents", List.of("weather 1.0.0"))))
                .expectNoEvents();
    }

    @Test
    void allowsTheRollbackWhenTheRestoredVersionStillSatisfiesEveryDependent() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("g2", GEO, "1.5.0", PROD, 0.5, 1.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("g2", GEO, "1.5.0", PROD, "g1", new TenantUsage(1, 0.5, 1.0)),
                        reserved("w1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, List.of(GEO_1), new TenantUsage(2, 1.5, 2.0)),
                        settled("w1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(2, 1.5, 2.0)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g2"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aDependentThatIsStillBeingDeployedAlsoBlocksTheRollback() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("w1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, List.of(GEO_1), new TenantUsage(2, 1.5, 2.0)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g1"))
                .expectException(conflict("dependency-in-use", Map.of("dependents", List.of("weather 1.0.0"))))
                .expectNoEvents();
    }

    @Test
    void namesOnlyTheDependentsTheRestoredVersionWouldBreak() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("g2", GEO, "2.0.0", PROD, 0.5, 1.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("g2", GEO, "2.0.0", PROD, "g1", new TenantUsage(1, 0.5, 1.0)),
                        reserved("w1", PLUGIN, "1.0.0", PROD, 0.5, 0.5,
                                List.of(new PluginDependency(GEO, "^2.0.0")), new TenantUsage(2, 1.0, 1.5)),
                        reserved("b1", "billing", "3.1.0", PROD, 0.5, 0.5,
                                List.of(new PluginDependency(GEO, "2.x")), new TenantUsage(3, 1.5, 2.0)),
                        reserved("s1", "search", "0.9.0", PROD, 0.5, 0.5,
                                List.of(new PluginDependency(GEO, ">=1.0.0")), new TenantUsage(4, 2.0, 2.5)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g2"))
                .expectException(conflict("dependency-in-use",
                        Map.of("dependents", List.of("weather 1.0.0", "billing 3.1.0"))))
                .expectNoEvents();
    }

    @Test
    void allowsTheRollbackWhenTheDependentRunsInAnotherEnvironment() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("gs", GEO, "1.4.0", STAGING, 0.5, 1.0, new TenantUsage(1, 1.0, 2.0)),
                        settled("gs", GEO, "1.4.0", STAGING, null, new TenantUsage(1, 1.0, 2.0)),
                        reserved("w1", PLUGIN, "1.0.0", STAGING, 1.0, 1.0, List.of(GEO_1), new TenantUsage(2, 2.0, 3.0)),
                        settled("w1", PLUGIN, "1.0.0", STAGING, null, new TenantUsage(2, 2.0, 3.0)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void allowsTheRollbackWhenOtherPluginsDependOnSomethingElse() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("m1", "maps", "2.0.0", PROD, 0.5, 1.0, new TenantUsage(2, 1.0, 2.0)),
                        settled("m1", "maps", "2.0.0", PROD, null, new TenantUsage(2, 1.0, 2.0)),
                        reserved("w1", PLUGIN, "1.0.0", PROD, 1.0, 1.0,
                                List.of(new PluginDependency("maps", "^2.0.0")), new TenantUsage(3, 2.0, 3.0)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void allowsRollingBackADeploymentThatHasNotSettled() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("w1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, List.of(GEO_1), new TenantUsage(2, 1.5, 2.0)),
                        settled("w1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(2, 1.5, 2.0)),
                        reserved("g2", GEO, "2.0.0", PROD, 0.5, 1.0, new TenantUsage(2, 2.0, 3.0)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g2"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesRollingBackACompletedDeploymentThatANewerOneReplaced() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED)
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("no-such-deployment"))
                .expectException(conflict("deployment-superseded"))
                .expectNoEvents();
    }

    @Test
    void allowsTheRollbackOnceTheDependentIsGone() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED,
                        reserved("w1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, List.of(GEO_1), new TenantUsage(2, 1.5, 2.0)),
                        settled("w1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(2, 1.5, 2.0)),
                        released("w1", 1.0, 1.0, null, new TenantUsage(1, 0.5, 1.0)))
                .whenInvoking(TENANT, tenant -> tenant.checkRollback("g1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToDeployTheVersionThatAlreadyRunsStable() {
        fixture.given(CREATED, G1_RESERVED, G1_SETTLED)
                .when(reserve("g2", GEO, "1.4.0", PROD, 0.5, 1.0))
                .expectException(conflict("version-already-deployed", Map.of("stableDeploymentId", "g1")))
                .expectNoEvents();
    }

    // --- helpers ---

    /** One instance, all at once: the reservation holds exactly what the command names. */
    private static final DeploymentPlan ONE_INSTANCE = new DeploymentPlan(DeploymentStrategy.Direct,
            List.of(new DeploymentStep(100, 1, 0)), 30, 2, 600);

    /** Matches a granted reservation by what it replaces; the reserved figures have tests of their own. */
    private static Matcher<DeploymentQuotaReservation> granted(String deploymentId, String previousVersion) {
        return new CustomTypeSafeMatcher<>("a reservation for " + deploymentId + " replacing " + previousVersion) {
            @Override
            protected boolean matchesSafely(DeploymentQuotaReservation reservation) {
                return reservation.deploymentId().equals(deploymentId)
                        && Objects.equals(reservation.previousStableVersion(), previousVersion);
            }
        };
    }

    private static ReserveDeploymentQuotaCommand reserve(String deploymentId, String pluginId, String version,
                                                         String environment, double cpu, double memoryGB,
                                                         PluginDependency... dependencies) {
        return new ReserveDeploymentQuotaCommand(TENANT, deploymentId, pluginId, version, environment, 1,
                new PluginResources(cpu, (int) Math.round(memoryGB * 1024)), ONE_INSTANCE, List.of(dependencies));
    }

    /** Memory as the command carries it: whole MB per instance. */
    private static double inWholeMB(double memoryGB) {
        return Math.round(memoryGB * 1024) / 1024.0;
    }

    private static TenantQuotaReserved reserved(String deploymentId, String pluginId, String version,
                                                String environment, double cpu, double memoryGB, TenantUsage after) {
        return reserved(deploymentId, pluginId, version, environment, cpu, memoryGB, List.of(), after);
    }

    private static TenantQuotaReserved reserved(String deploymentId, String pluginId, String version,
                                                String environment, double cpu, double memoryGB,
                                                List<PluginDependency> dependencies, TenantUsage after) {
        return new TenantQuotaReserved(TENANT, deploymentId, pluginId, version, environment, cpu, inWholeMB(memoryGB),
                dependencies, after, 1, cpu, inWholeMB(memoryGB), null);
    }

    /** A reservation replacing the stable {@code replaces}, adding only {@code inFlightCpu} and {@code inFlightMemoryGB}. */
    private static TenantQuotaReserved upgrade(String deploymentId, String pluginId, String version, String environment,
                                               double cpu, double memoryGB, String replaces, double inFlightCpu,
                                               double inFlightMemoryGB, TenantUsage after) {
        return new TenantQuotaReserved(TENANT, deploymentId, pluginId, version, environment, cpu, inWholeMB(memoryGB),
                List.of(), after, 1, inFlightCpu, inFlightMemoryGB, replaces);
    }

    private static TenantQuotaSettled settled(String deploymentId, String pluginId, String version,
                                              String environment, String replacedDeploymentId, TenantUsage after) {
        return new TenantQuotaSettled(TENANT, deploymentId, pluginId, version, environment, replacedDeploymentId,
                after);
    }

    private static TenantQuotaReleased released(String deploymentId, double cpu, double memoryGB,
                                                String reinstatedDeploymentId, TenantUsage after) {
        return released(deploymentId, cpu, memoryGB, reinstatedDeploymentId, after, reinstatedDeploymentId);
    }

    private static TenantQuotaReleased released(String deploymentId, double cpu, double memoryGB,
                                                String reinstatedDeploymentId, TenantUsage after, String stable) {
        return new TenantQuotaReleased(TENANT, deploymentId, cpu, memoryGB, reinstatedDeploymentId, after, stable);
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
