package io.hotswap.query.deployment;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hotswap.api.deployment.DeploymentHealthView;
import io.hotswap.api.deployment.DeploymentHistoryEntry;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.deployment.DeploymentView;
import io.hotswap.api.deployment.InstanceCounts;
import io.hotswap.api.deployment.InstanceHealth;
import io.hotswap.api.deployment.InstanceState;
import io.hotswap.api.deployment.ListDeploymentsQuery;
import io.hotswap.api.deployment.OverallHealth;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.page.PageRequest;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelCache;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.Where;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code deployment_view} and {@code deployment_history} tables: where every deployment stands, and how it got there. */
@Component // not a @Repository: see ReadModelWrites
public class DeploymentBoard {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<List<InstanceHealth>> HEALTH_LIST = new TypeReference<>() { };
    /** Cache keys of one deployment and of its health: what clients poll while a rollout runs. */
    private static final String CACHED_VIEW = "deployment:";
    private static final String CACHED_HEALTH = "deployment-health:";
    /** A deployment's row with its latest supervision check beside it. */
    private static final String SELECT_VIEW = """
            SELECT v.*, s.instances AS supervised_instances, s.checked_at AS supervised_at
            FROM deployment_view v LEFT JOIN deployment_supervised_health s USING (deployment_id)""";

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;
    private final JsonColumns json;
    private final ReadModelCache cache;

    public DeploymentBoard(JdbcClient jdbc, ReadModelWrites writes, JsonColumns json, ReadModelCache cache) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.json = json;
        this.cache = cache;
    }

    /** Which version of a plugin runs stable in an environment. */
    public record DeployedVersion(String pluginId, String version, String environment) {
    }

    public void insert(String deploymentId, String tenantId, String pluginId, String pluginVersion, String environment,
                       Map<String, String> strategyConfig, DeploymentPlan plan, int totalInstances,
                       String previousVersion, Integer previousInstances, Instant at) {
        writes.write("""
                INSERT INTO deployment_view (deployment_id, tenant_id, plugin_id, plugin_version, environment, strategy,
                    strategy_config, plan, status, current_stage, total_stages, current_percentage, total_instances,
                    desired_instances, ready_instances, healthy_instances, previous_version, previous_instances,
                    consecutive_failures, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, 'Queued', 0, ?, 0, ?, 0, 0, 0, ?, ?, 0, ?, ?)
                ON CONFLICT (deployment_id) DO NOTHING""",
                deploymentId, tenantId, pluginId, pluginVersion, environment, plan.strategy().name(),
                json.write(strategyConfig), json.write(plan), plan.steps().size(), totalInstances,
                previousVersion, previousInstances, Timestamp.from(at), Timestamp.from(at));
        changed(deploymentId);
    }

    public void stageAdvanced(String deploymentId, int stageNumber, int percentage, int desired, Instant at) {
        writes.write("UPDATE deployment_view SET current_stage = ?, current_percentage = ?, desired_instances = ?, updated_at = ? WHERE deployment_id = ?",
                stageNumber, percentage, desired, Timestamp.from(at), deploymentId);
        changed(deploymentId);
    }

    public void healthRecorded(String deploymentId, List<InstanceHealth> instances, int consecutiveFailures, Instant at) {
        writes.write("""
                UPDATE deployment_view SET ready_instances = ?, healthy_instances = ?, health = ?::jsonb,
                    consecutive_failures = ?, health_checked_at = ?, updated_at = ? WHERE deployment_id = ?""",
                ready(instances), healthy(instances), json.write(instances), consecutiveFailures,
                Timestamp.from(at), Timestamp.from(at), deploymentId);
        changed(deploymentId);
    }

    /** A completed deployment's instances changed state (an event); {@link #recordSupervisedHealth} keeps every check. */
    public void supervisedHealthChanged(String deploymentId, List<InstanceHealth> instances, Instant at) {
        writes.write("""
                UPDATE deployment_view SET ready_instances = ?, healthy_instances = ?, health = ?::jsonb,
                    health_checked_at = ?, updated_at = ? WHERE deployment_id = ?""",
                ready(instances), healthy(instances), json.write(instances), Timestamp.from(at),
                Timestamp.from(at), deploymentId);
        changed(deploymentId);
    }

    /** The latest supervision check of a completed deployment, whatever it found. */
    public void recordSupervisedHealth(String deploymentId, List<InstanceHealth> instances, Instant checkedAt) {
        writes.write("""
                INSERT INTO deployment_supervised_health (deployment_id, instances, checked_at) VALUES (?, ?::jsonb, ?)
                ON CONFLICT (deployment_id) DO UPDATE SET instances = EXCLUDED.instances, checked_at = EXCLUDED.checked_at
                WHERE deployment_supervised_health.checked_at <= EXCLUDED.checked_at""",
                deploymentId, json.write(instances), Timestamp.from(checkedAt));
        changed(deploymentId);
    }

    /** A newer deployment became the stable one: none of this one's instances run any more. */
    public void superseded(String deploymentId, String by, Instant at) {
        writes.write("""
                UPDATE deployment_view SET superseded_by = ?, desired_instances = 0, ready_instances = 0,
                    healthy_instances = 0, health = '[]'::jsonb, health_checked_at = ?, updated_at = ?
                WHERE deployment_id = ?""",
                by, Timestamp.from(at), Timestamp.from(at), deploymentId);
        forgetSupervisedHealth(deploymentId);
        changed(deploymentId);
    }

    /** The deployment that had superseded this one was rolled back: this one is stable, and runs, again. */
    public void reinstated(String deploymentId, Instant at) {
        writes.write("""
                UPDATE deployment_view SET superseded_by = NULL, desired_instances = total_instances, updated_at = ?
                WHERE deployment_id = ?""",
                Timestamp.from(at), deploymentId);
        changed(deploymentId);
    }

    public void statusChanged(String deploymentId, DeploymentStatus status, Instant at) {
        writes.write("UPDATE deployment_view SET status = ?, updated_at = ? WHERE deployment_id = ?",
                status.name(), Timestamp.from(at), deploymentId);
        changed(deploymentId);
    }

    /** Rolling back, or aborting: the new version's instances are being taken down. */
    public void rollbackStarted(String deploymentId, String reason, String requestedBy, Instant at) {
        writes.write("UPDATE deployment_view SET status = 'RollingBack', rollback_reason = ?, rolled_back_by = ?, updated_at = ? WHERE deployment_id = ?",
                reason, requestedBy, Timestamp.from(at), deploymentId);
        changed(deploymentId);
    }

    /** Rolled back or failed: none of the new version's instances remain. */
    public void ended(String deploymentId, DeploymentStatus status, Instant at) {
        writes.write("""
                UPDATE deployment_view SET status = ?, current_percentage = 0, desired_instances = 0,
                    ready_instances = 0, healthy_instances = 0, updated_at = ? WHERE deployment_id = ?""",
                status.name(), Timestamp.from(at), deploymentId);
        forgetSupervisedHealth(deploymentId);
        changed(deploymentId);
    }

    /** Appends to the history; the event id makes a redelivered event a no-op. */
    public void addHistory(String eventId, String deploymentId, Instant at, String event, String detail, String actor) {
        writes.write("""
                INSERT INTO deployment_history (event_id, deployment_id, at, event, status, percentage, detail, actor)
                SELECT ?, deployment_id, ?, ?, status, current_percentage, ?, ? FROM deployment_view WHERE deployment_id = ?
                ON CONFLICT (event_id) DO NOTHING""",
                eventId, Timestamp.from(at), event, detail, actor, deploymentId);
        changed(deploymentId);
    }

    public Optional<DeploymentView> find(String deploymentId) {
        return cache.get(CACHED_VIEW + deploymentId, DeploymentView.class, () -> jdbc
                .sql(SELECT_VIEW + " WHERE deployment_id = ?").param(deploymentId)
                .query((rs, n) -> view(rs, history(deploymentId))).optional());
    }

    public Optional<DeploymentHealthView> findHealth(String deploymentId) {
        return cache.get(CACHED_HEALTH + deploymentId, DeploymentHealthView.class, () -> jdbc
                .sql(SELECT_VIEW + " WHERE deployment_id = ?").param(deploymentId)
                .query((rs, n) -> {
                    LatestHealth latest = latestHealth(rs);
                    boolean runsNothing = latest.checkedAt() == null || rs.getString("superseded_by") != null;
                    String overall = runsNothing ? OverallHealth.Unknown.name()
                            : OverallHealth.of(latest.instances(), rs.getInt("desired_instances")).name();
                    return new DeploymentHealthView(deploymentId, DeploymentStatus.valueOf(rs.getString("status")), overall,
                            rs.getInt("consecutive_failures"), latest.checkedAt(), latest.instances());
                })
                .optional());
    }

    /** The newer of the last recorded health event and the last supervision check ({@code supervised}). */
    private record LatestHealth(List<InstanceHealth> instances, Instant checkedAt, boolean supervised) {
    }

    private LatestHealth latestHealth(ResultSet rs) throws SQLException {
        Timestamp recordedAt = rs.getTimestamp("health_checked_at");
        Timestamp supervisedAt = rs.getTimestamp("supervised_at");
        if (supervisedAt != null && (recordedAt == null || supervisedAt.after(recordedAt))) {
            return new LatestHealth(json.read(rs.getString("supervised_instances"), HEALTH_LIST), supervisedAt.toInstant(), true);
        }
        List<InstanceHealth> instances = Optional.ofNullable(json.read(rs.getString("health"), HEALTH_LIST)).orElse(List.of());
        return new LatestHealth(instances, recordedAt == null ? null : recordedAt.toInstant(), false);
    }

    /**
     * The rows of one page, newest first, and the one past it if another follows; {@code history} is left empty in
     * listings (fetch one deployment for it). Keyset on ({@code created_at}, {@code deployment_id}), both descending.
     */
    public List<DeploymentView> list(ListDeploymentsQuery query) {
        PageRequest page = query.page();
        Where where = where(query);
        if (page.after() != null) {
            where.and("(created_at, deployment_id) < (?, ?)", createdAt(page.after().get(0)), page.after().get(1));
        }
        return jdbc.sql(SELECT_VIEW + where.sql() + " ORDER BY created_at DESC, deployment_id DESC LIMIT ? OFFSET ?")
                .params(where.params(page.limit(), page.offset())).query((rs, n) -> view(rs, List.of())).list();
    }

    public long count(ListDeploymentsQuery query) {
        Where where = where(query);
        return jdbc.sql("SELECT count(*) FROM deployment_view" + where.sql()).params(where.params()).query(Long.class).single();
    }

    /** The sort key of a deployment as a cursor carries it. */
    public static List<String> key(DeploymentView deployment) {
        return List.of(deployment.createdAt().toString(), deployment.deploymentId());
    }

    private static Where where(ListDeploymentsQuery query) {
        return new Where().equal("tenant_id", query.tenantId()).equal("plugin_id", query.pluginId())
                .equal("environment", query.environment()).equal("status", query.status() == null ? null : query.status().name());
    }

    private static Timestamp createdAt(String key) {
        try {
            return Timestamp.from(Instant.parse(key));
        } catch (RuntimeException e) { // signed by this server, so only by a build that kept another key
            throw new InvalidInputException("after", "is a cursor of an earlier version of this listing; "
                    + "leave 'after' out to start from the first page");
        }
    }

    /** The stable version of every plugin in a tenant: its newest completed deployment per environment. */
    public List<DeployedVersion> stableVersions(String tenantId, String environment) {
        return jdbc.sql("""
                SELECT DISTINCT ON (plugin_id, environment) plugin_id, plugin_version, environment
                FROM deployment_view
                WHERE tenant_id = ? AND status = 'Completed' AND superseded_by IS NULL
                    AND (CAST(? AS text) IS NULL OR environment = ?)
                ORDER BY plugin_id, environment, updated_at DESC""")
                .params(tenantId, environment, environment)
                .query((rs, n) -> new DeployedVersion(rs.getString("plugin_id"), rs.getString("plugin_version"),
                        rs.getString("environment")))
                .list();
    }

    /** What one deployment's instances last reported, and where they run. */
    public record RunningInstances(String tenantId, String pluginId, String environment, List<InstanceHealth> instances) {
    }

    /**
     * Every deployment whose instances run (rolling out, paused, or completed and not superseded) with their latest
     * health, straight from the tables: for metrics, read once per scrape.
     */
    public List<RunningInstances> runningInstances() {
        return jdbc.sql(SELECT_VIEW + " WHERE status IN ('InProgress', 'Paused', 'Completed') AND superseded_by IS NULL")
                .query((rs, n) -> new RunningInstances(rs.getString("tenant_id"), rs.getString("plugin_id"),
                        rs.getString("environment"), latestHealth(rs).instances()))
                .list();
    }

    /** A deployment under way and when its last event was (every event of a deployment sets {@code updated_at}). */
    public record UnderWay(String deploymentId, String tenantId, String pluginId, String environment,
                           DeploymentStatus status, Instant lastEventAt) {
    }

    /** Every deployment that should be moving on by itself: neither ended nor paused. For metrics, not cached. */
    public List<UnderWay> underWay() {
        return jdbc.sql("""
                SELECT deployment_id, tenant_id, plugin_id, environment, status, updated_at FROM deployment_view
                WHERE status IN ('Queued', 'InProgress', 'RollingBack')""")
                .query((rs, n) -> new UnderWay(rs.getString("deployment_id"), rs.getString("tenant_id"),
                        rs.getString("plugin_id"), rs.getString("environment"),
                        DeploymentStatus.valueOf(rs.getString("status")), rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM deployment_history").update();
        jdbc.sql("DELETE FROM deployment_view").update();
        cache.evictAll(CACHED_VIEW);
        cache.evictAll(CACHED_HEALTH);
    }

    /** Nothing of this deployment runs any more: its last supervision check says nothing about now. */
    private void forgetSupervisedHealth(String deploymentId) {
        writes.write("DELETE FROM deployment_supervised_health WHERE deployment_id = ?", deploymentId);
    }

    private void changed(String deploymentId) {
        cache.evict(CACHED_VIEW + deploymentId);
        cache.evict(CACHED_HEALTH + deploymentId);
    }

    private List<DeploymentHistoryEntry> history(String deploymentId) {
        RowMapper<DeploymentHistoryEntry> row = (rs, n) -> new DeploymentHistoryEntry(rs.getTimestamp("at").toInstant(),
                rs.getString("event"), DeploymentStatus.valueOf(rs.getString("status")), rs.getInt("percentage"),
                rs.getString("detail"), rs.getString("actor"));
        return jdbc.sql("SELECT * FROM deployment_history WHERE deployment_id = ? ORDER BY at, seq")
                .param(deploymentId).query(row).list();
    }

    private DeploymentView view(ResultSet rs, List<DeploymentHistoryEntry> history) throws SQLException {
        DeploymentStatus status = DeploymentStatus.valueOf(rs.getString("status"));
        int total = rs.getInt("total_instances");
        int desired = rs.getInt("desired_instances");
        String version = rs.getString("plugin_version");
        String previous = rs.getString("previous_version");
        int previousRunning = previous == null ? 0
                : previousRunning(status, json.read(rs.getString("plan"), DeploymentPlan.class), rs.getInt("current_stage"),
                rs.getObject("previous_instances") == null ? total : rs.getInt("previous_instances"));
        Map<String, Integer> byVersion = new LinkedHashMap<>();
        if (desired > 0) byVersion.put(version, desired);
        if (previousRunning > 0) byVersion.put(previous, previousRunning);
        // the supervision's latest check, when it is newer than the last recorded health event
        LatestHealth latest = latestHealth(rs);
        boolean checkedSince = latest.supervised() && rs.getString("superseded_by") == null;
        return new DeploymentView(rs.getString("deployment_id"), rs.getString("tenant_id"), rs.getString("plugin_id"),
                version, rs.getString("environment"), DeploymentStrategy.valueOf(rs.getString("strategy")),
                json.read(rs.getString("strategy_config"), STRING_MAP), status, rs.getInt("current_stage"),
                rs.getInt("total_stages"), rs.getInt("current_percentage"), total,
                new InstanceCounts(desired, checkedSince ? ready(latest.instances()) : rs.getInt("ready_instances"),
                        checkedSince ? healthy(latest.instances()) : rs.getInt("healthy_instances"), byVersion),
                previous, rs.getString("rollback_reason"), rs.getString("rolled_back_by"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), history,
                rs.getString("superseded_by"));
    }

    /** How many instances of the replaced version run while a deployment stands where it does. */
    private static int previousRunning(DeploymentStatus status, DeploymentPlan plan, int stageNumber, int previous) {
        return switch (status) {
            case Queued, RolledBack, Failed -> previous; // not touched yet, or restored
            case Completed -> 0;
            case InProgress, Paused, RollingBack ->
                    stageNumber == 0 ? previous : plan.previousInstancesAt(stageNumber - 1, previous);
        };
    }

    /** Instances that answer their health check, with 2xx or not. */
    private static int ready(List<InstanceHealth> instances) {
        return (int) instances.stream()
                .filter(i -> i.state() == InstanceState.Healthy || i.state() == InstanceState.Unhealthy).count();
    }

    private static int healthy(List<InstanceHealth> instances) {
        return (int) instances.stream().filter(i -> i.state() == InstanceState.Healthy).count();
    }

}
