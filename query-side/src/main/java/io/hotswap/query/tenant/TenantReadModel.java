package io.hotswap.query.tenant;

import io.hotswap.api.page.PageRequest;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.api.tenant.TenantStatus;
import io.hotswap.api.tenant.TenantUsage;
import io.hotswap.api.tenant.TenantView;
import io.hotswap.query.ReadModelCache;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.Where;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code tenant_view} table: one row per tenant with its quotas, current usage, status and why it has it. */
@Component // not a @Repository: see ReadModelWrites
public class TenantReadModel {

    private static final RowMapper<TenantView> ROW = (rs, n) -> new TenantView(
            rs.getString("tenant_id"), rs.getString("name"), rs.getString("namespace"),
            TenantStatus.valueOf(rs.getString("status")),
            new TenantQuotas(rs.getInt("max_plugins"), rs.getDouble("max_cpu"), rs.getDouble("max_memory_gb")),
            new TenantUsage(rs.getInt("used_plugins"), rs.getDouble("used_cpu"), rs.getDouble("used_memory_gb")),
            rs.getTimestamp("created_at").toInstant(), rs.getString("status_reason"));

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;
    /** One tenant with its usage: read on every tenant-scoped request's way. */
    private final ReadModelCache cache;

    public TenantReadModel(JdbcClient jdbc, ReadModelWrites writes, ReadModelCache cache) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.cache = cache;
    }

    public void insert(String tenantId, String name, String namespace, TenantStatus status, TenantQuotas quotas,
                       Instant at) {
        writes.write("""
                INSERT INTO tenant_view (tenant_id, name, namespace, status, max_plugins, max_cpu, max_memory_gb,
                                         used_plugins, used_cpu, used_memory_gb, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)
                ON CONFLICT (tenant_id) DO NOTHING""",
                tenantId, name, namespace, status.name(), quotas.maxPlugins(), quotas.maxCpu(), quotas.maxMemoryGB(),
                Timestamp.from(at), Timestamp.from(at));
        cache.evict("tenant:" + tenantId);
    }

    public void updateUsage(String tenantId, TenantUsage usage, Instant at) {
        writes.write("UPDATE tenant_view SET used_plugins = ?, used_cpu = ?, used_memory_gb = ?, updated_at = ? WHERE tenant_id = ?",
                usage.plugins(), usage.cpu(), usage.memoryGB(), Timestamp.from(at), tenantId);
        cache.evict("tenant:" + tenantId);
    }

    public void updateStatus(String tenantId, TenantStatus status, String reason, Instant at) {
        writes.write("UPDATE tenant_view SET status = ?, status_reason = ?, updated_at = ? WHERE tenant_id = ?",
                status.name(), reason, Timestamp.from(at), tenantId);
        cache.evict("tenant:" + tenantId);
    }

    public Optional<TenantView> find(String tenantId) {
        return cache.get("tenant:" + tenantId, TenantView.class,
                () -> jdbc.sql("SELECT * FROM tenant_view WHERE tenant_id = ?").param(tenantId).query(ROW).optional());
    }

    /** The rows of one page by tenant id, and the one past it if another follows; keyset on the primary key. */
    public List<TenantView> list(PageRequest page) {
        Where where = page.after() == null ? new Where() : new Where().and("tenant_id > ?", page.after().get(0));
        return jdbc.sql("SELECT * FROM tenant_view" + where.sql() + " ORDER BY tenant_id LIMIT ? OFFSET ?")
                .params(where.params(page.limit(), page.offset())).query(ROW).list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM tenant_view").query(Long.class).single();
    }

    /** The sort key of a tenant as a cursor carries it. */
    public static List<String> key(TenantView tenant) {
        return List.of(tenant.tenantId());
    }

    /** Every tenant, for the metrics scrape: one query whatever the number of tenants. */
    public List<TenantView> all() {
        return jdbc.sql("SELECT * FROM tenant_view ORDER BY tenant_id").query(ROW).list();
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM tenant_view").update();
        cache.evictAll("tenant:");
    }
}
