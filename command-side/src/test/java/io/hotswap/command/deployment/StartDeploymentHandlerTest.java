package io.hotswap.command.deployment;

import io.hotswap.api.deployment.DeploymentAccepted;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStarted;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.DeploymentStep;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.deployment.StartDeploymentCommand;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginDependency;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.api.plugin.PluginRegistered;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.plugin.PluginRuntimeSpec;
import io.hotswap.api.plugin.PluginVersionRegistered;
import io.hotswap.api.tenant.TenantCreated;
import io.hotswap.api.tenant.TenantQuotaReserved;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.api.tenant.TenantUsage;
import io.hotswap.command.plugin.Plugin;
import io.hotswap.command.tenant.Tenant;
import io.hotswap.command.tenant.TenantDirectory;
import io.hotswap.command.tenant.TenantProvisioning;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.commandhandling.GenericCommandMessage.asCommandMessage;

/**
 * The start handler over real event-sourced repositories on an in-memory event store, each start in its own unit of
 * work as the command bus would run it: what a start and a dry run leave behind.
 */
class StartDeploymentHandlerTest {

    private static final String TENANT = "acme";
    private static final String PLUGIN = "weather";
    private static final String ID = "dep-2";
    private static final String PROD = "Production";
    private static final PluginDependency GEO_1 = new PluginDependency("geo", "^1.0.0");
    private static final PluginMetadata METADATA = new PluginMetadata("Shows the weather", List.of(GEO_1),
            new PluginResources(0.5, 512), null, null);
    private static final DeploymentPlan DIRECT_PLAN = new DeploymentPlan(DeploymentStrategy.Direct,
            List.of(new DeploymentStep(100, 2, 0)), 15, 3, 900);

    private final Map<String, Long> sequences = new HashMap<>();
    private EmbeddedEventStore store;
    private StartDeploymentHandler handler;

    @BeforeEach
    void setUp() {
        store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        TenantDirectory directory = (tenantId, namespace) -> {
        };
        RollbackGuard guard = (tenantId, deploymentId) -> {
        };
        ParameterResolverFactory resources = MultiParameterResolverFactory.ordered(
                new SimpleResourceParameterResolverFactory(List.of(directory, guard, TenantProvisioning.OFF)),
                ClasspathParameterResolverFactory.forClass(getClass()));
        handler = new StartDeploymentHandler(
                EventSourcingRepository.builder(Plugin.class).eventStore(store).parameterResolverFactory(resources).build(),
                EventSourcingRepository.builder(Tenant.class).eventStore(store).parameterResolverFactory(resources).build(),
                EventSourcingRepository.builder(Deployment.class).eventStore(store).parameterResolverFactory(resources).build(),
                new DeploymentPlanner(new DeploymentDefaults(DeploymentStrategy.Rolling, 15, 3, 900, 50)),
                Set.of("jar"));

        given("Plugin", PLUGIN, new PluginRegistered(PLUGIN, "Weather Widget"),
                new PluginVersionRegistered(PLUGIN, "2.0.0", new PluginBinary("weather/2.0.0", "a".repeat(64), 10),
                        METADATA));
        given("Tenant", TENANT, new TenantCreated(TENANT, "Acme Corp", "acme-ns", new TenantQuotas(5, 8.0, 16.0)),
                new TenantQuotaReserved(TENANT, "dep-1", PLUGIN, "1.0.0", PROD, 1.0, 1.0, List.of(),
                        new TenantUsage(1, 1.0, 1.0), null, null, null, null),
                new TenantQuotaSettled(TENANT, "dep-1", PLUGIN, "1.0.0", PROD, null, new TenantUsage(1, 1.0, 1.0)));
    }

    @AfterEach
    void tearDown() {
        store.shutDown();
    }

    @Test
    void aStartReservesQuotaWithThePluginsDependenciesAndQueuesTheDeployment() {
        givenGeoStable(PROD);

        ResultMessage<DeploymentAccepted> result = start(false);

        assertThat(result.isExceptional()).as("exceptional: %s", result.optionalExceptionResult()).isFalse();
        assertThat(result.getPayload()).isEqualTo(
                new DeploymentAccepted(ID, DeploymentStatus.Queued, DIRECT_PLAN, "1.0.0", 1.0, 1.0));
        // the stable 1.0.0 was recorded without its instance count (an older build): the whole new set is reserved
        assertThat(payloads(TENANT)).last().isEqualTo(new TenantQuotaReserved(TENANT, ID, PLUGIN, "2.0.0", PROD,
                1.0, 1.0, List.of(GEO_1), new TenantUsage(2, 2.5, 3.0), 2, 1.0, 1.0, "dep-1"));
        assertThat(payloads(ID)).containsExactly(new DeploymentStarted(ID, TENANT, PLUGIN, "2.0.0", PROD,
                Map.of(), DIRECT_PLAN, 2, "1.0.0", null));
    }

    @Test
    void aDryRunAnswersWhatAStartWouldDoButLeavesNoTrace() {
        givenGeoStable(PROD);
        int tenantEventsBefore = payloads(TENANT).size();

        ResultMessage<DeploymentAccepted> result = start(true);

        assertThat(result.isExceptional()).as("exceptional: %s", result.optionalExceptionResult()).isFalse();
        assertThat(result.getPayload()).isEqualTo(new DeploymentAccepted(ID, null, DIRECT_PLAN, "1.0.0", 1.0, 1.0));
        assertThat(payloads(TENANT)).hasSize(tenantEventsBefore);
        assertThat(payloads(ID)).isEmpty();
    }

    @Test
    void aStartWhosePluginDependencyIsNotStableInItsEnvironmentIsRefusedAndLeavesNoTrace() {
        givenGeoStable("Staging");
        int tenantEventsBefore = payloads(TENANT).size();

        ResultMessage<DeploymentAccepted> result = start(false);

        assertDependenciesUnmet(result);
        assertThat(payloads(TENANT)).hasSize(tenantEventsBefore);
        assertThat(payloads(ID)).isEmpty();
    }

    @Test
    void aDryRunRefusesUnmetDependenciesLikeAStart() {
        ResultMessage<DeploymentAccepted> result = start(true);

        assertDependenciesUnmet(result);
        assertThat(payloads(ID)).isEmpty();
    }

    @Test
    void aStartOfAPluginTheRuntimeCannotRunIsRefusedAndLeavesNoTrace() {
        givenGeoStable(PROD);
        given("Plugin", PLUGIN, new PluginVersionRegistered(PLUGIN, "3.0.0",
                new PluginBinary("weather/3.0.0", "b".repeat(64), 10), new PluginMetadata("Shows the weather",
                List.of(GEO_1), new PluginResources(0.5, 512), null,
                new PluginRuntimeSpec("image", "registry.example/weather:3.0.0"))));
        int tenantEventsBefore = payloads(TENANT).size();

        ResultMessage<DeploymentAccepted> result = start("3.0.0", false);

        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.problemType()).isEqualTo("runtime-unsupported"));
        assertThat(payloads(TENANT)).hasSize(tenantEventsBefore);
        assertThat(payloads(ID)).isEmpty();
    }

    // --- helpers ---

    private ResultMessage<DeploymentAccepted> start(boolean dryRun) {
        return start("2.0.0", dryRun);
    }

    private ResultMessage<DeploymentAccepted> start(String version, boolean dryRun) {
        StartDeploymentCommand command = new StartDeploymentCommand(ID, TENANT, PLUGIN, version, PROD, "Direct",
                Map.of(), 2, dryRun);
        return DefaultUnitOfWork.startAndGet(asCommandMessage(command)).executeWithResult(() -> handler.handle(command));
    }

    private static void assertDependenciesUnmet(ResultMessage<DeploymentAccepted> result) {
        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.problemType()).isEqualTo("dependencies-unmet");
            assertThat(e.details()).containsEntry("missing", List.of(GEO_1)).containsEntry("conflicts", List.of());
        });
    }

    private void givenGeoStable(String environment) {
        given("Tenant", TENANT,
                new TenantQuotaReserved(TENANT, "geo-1", "geo", "1.4.0", environment, 0.5, 1.0, List.of(),
                        new TenantUsage(2, 1.5, 2.0), null, null, null, null),
                new TenantQuotaSettled(TENANT, "geo-1", "geo", "1.4.0", environment, null,
                        new TenantUsage(2, 1.5, 2.0)));
    }

    private void given(String type, String aggregateId, Object... events) {
        for (Object event : events) {
            long sequence = sequences.merge(aggregateId, 1L, Long::sum) - 1;
            store.publish(new GenericDomainEventMessage<>(type, aggregateId, sequence, event));
        }
    }

    private List<Object> payloads(String aggregateId) {
        return store.readEvents(aggregateId).asStream().map(Message::getPayload).map(Object.class::cast).toList();
    }
}
