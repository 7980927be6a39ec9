package io.hotswap.projections.past;

import io.hotswap.api.deployment.DeploymentView;
import io.hotswap.api.deployment.FindDeploymentAsOfQuery;
import io.hotswap.api.tenant.FindTenantAsOfQuery;
import io.hotswap.api.tenant.TenantQuotaReleased;
import io.hotswap.api.tenant.TenantQuotaSettled;
import io.hotswap.api.tenant.TenantView;
import io.hotswap.projections.DeploymentProjection;
import io.hotswap.projections.TenantProjection;
import io.hotswap.query.ReadModelCache;
import io.hotswap.query.deployment.DeploymentBoard;
import io.hotswap.query.tenant.TenantReadModel;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a deployment or a tenant looked like at an instant. Its stored events up to then are handled by the live
 * projection, writing into empty temporary tables that shadow the read model's own for one transaction; the live
 * query reads them back, and the transaction is rolled back. So the past is computed by the same rules as the
 * present, and nothing of it is left behind, in the tables or in the cache.
 */
@Component
public class PastStates {

    private static final List<String> DEPLOYMENT_TABLES =
            List.of("deployment_view", "deployment_history", "deployment_supervised_health");
    private static final List<String> TENANT_TABLES = List.of("tenant_view");

    private final EventStore events;
    private final JdbcClient jdbc;
    private final TransactionTemplate scratchTransaction;
    private final ReadModelCache cache;
    private final DeploymentBoard board;
    private final TenantReadModel tenants;
    private final AnnotationEventHandlerAdapter deploymentProjection;
    private final AnnotationEventHandlerAdapter tenantProjection;

    public PastStates(EventStore events, JdbcClient jdbc, PlatformTransactionManager transactions, ReadModelCache cache,
                      DeploymentBoard board, TenantReadModel tenants, DeploymentProjection deploymentProjection,
                      TenantProjection tenantProjection) {
        this.events = events;
        this.jdbc = jdbc;
        this.scratchTransaction = new TransactionTemplate(transactions);
        // inside a query's own transaction, a savepoint: rolling back to it leaves the query's transaction usable
        scratchTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.cache = cache;
        this.board = board;
        this.tenants = tenants;
        this.deploymentProjection = new AnnotationEventHandlerAdapter(deploymentProjection);
        this.tenantProjection = new AnnotationEventHandlerAdapter(tenantProjection);
    }

    /**
     * The deployment's own events, and those of its tenant that mark it superseded or reinstated (the only other
     * events its projection reacts to for it), in the order they happened.
     */
    @QueryHandler
    public Optional<DeploymentView> handle(FindDeploymentAsOfQuery query) {
        List<EventMessage<?>> history = until(query.asOf(), query.deploymentId(), event -> true);
        history.addAll(until(query.asOf(), query.tenantId(), event ->
                event.getPayload() instanceof TenantQuotaSettled settled
                        && query.deploymentId().equals(settled.replacedDeploymentId())
                || event.getPayload() instanceof TenantQuotaReleased released
                        && query.deploymentId().equals(released.reinstatedDeploymentId())));
        history.sort(Comparator.comparing(EventMessage::getTimestamp)); // stable: a tie keeps the deployment's first
        return fold(DEPLOYMENT_TABLES, deploymentProjection, history, () -> board.find(query.deploymentId()));
    }

    @QueryHandler
    public Optional<TenantView> handle(FindTenantAsOfQuery query) {
        return fold(TENANT_TABLES, tenantProjection, until(query.asOf(), query.tenantId(), event -> true),
                () -> tenants.find(query.tenantId()));
    }

    /** One aggregate's stored events (never a snapshot) up to and including {@code asOf} that {@code wanted} keeps. */
    private List<EventMessage<?>> until(Instant asOf, String aggregateId, Predicate<EventMessage<?>> wanted) {
        List<EventMessage<?>> found = new ArrayList<>();
        events.readEvents(aggregateId, 0).asStream()
                .takeWhile(event -> !event.getTimestamp().isAfter(asOf))
                .filter(wanted)
                .forEach(found::add);
        return found;
    }

    private <T> Optional<T> fold(List<String> tables, AnnotationEventHandlerAdapter projection,
                                 List<EventMessage<?>> history, Supplier<Optional<T>> read) {
        if (history.isEmpty()) return Optional.empty();
        return scratchTransaction.execute(status -> {
            status.setRollbackOnly();
            // LIKE names the live table (the copy does not exist yet); from then on, unqualified names find the
            // temporary copy first. Rolled back, the copies never existed.
            tables.forEach(table -> jdbc.sql("CREATE TEMPORARY TABLE " + table + " (LIKE " + table
                    + " INCLUDING ALL) ON COMMIT DROP").update());
            return cache.bypassedDuring(() -> {
                for (EventMessage<?> event : history) {
                    try {
                        projection.handle(event);
                    } catch (Exception e) {
                        throw new IllegalStateException("Folding " + event.getPayloadType().getSimpleName() + " "
                                + event.getIdentifier() + " failed", e);
                    }
                }
                return read.get();
            });
        });
    }
}
