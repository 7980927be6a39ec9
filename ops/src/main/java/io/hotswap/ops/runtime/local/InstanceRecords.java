package io.hotswap.ops.runtime.local;

import io.hotswap.sagas.runtime.DeploymentTarget;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code runtime_instance} table: the instances one local runtime ({@code owner}: host and directory) was asked
 * to run. Every write commits on its own, outside the caller's transaction: a saga step that rolls back must not take
 * with it the record of a process it already started, and a record must exist before its process does.
 */
public final class InstanceRecords {

    /**
     * One recorded instance; {@code pid} is null until its process started and after a normal stop, {@code spec} null
     * only for a record of a build before V7 whose version the catalogue did not have (V9 filled in the others).
     */
    record Row(String instanceId, DeploymentTarget target, String version, int port, Long pid, int restarts,
               LocalProcessRuntime.VersionSpec spec) {
    }

    /** Binds the table to the runtime that owns the rows. */
    public static final class Factory {
        private final JdbcClient jdbc;
        private final TransactionTemplate ownTransaction;

        public Factory(JdbcClient jdbc, PlatformTransactionManager transactions) {
            this.jdbc = jdbc;
            this.ownTransaction = new TransactionTemplate(transactions);
            ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        }

        InstanceRecords forOwner(String owner) {
            return new InstanceRecords(jdbc, ownTransaction, owner);
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final String owner;

    private InstanceRecords(JdbcClient jdbc, TransactionTemplate ownTransaction, String owner) {
        this.jdbc = jdbc;
        this.ownTransaction = ownTransaction;
        this.owner = owner;
    }

    void insert(String instanceId, DeploymentTarget target, String version, int port, LocalProcessRuntime.VersionSpec spec) {
        write(jdbc.sql("""
                INSERT INTO runtime_instance (instance_id, owner, tenant_id, plugin_id, environment, version, port, jar,
                    health_path, health_timeout_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(instanceId, owner, target.tenantId(), target.pluginId(), target.environment(), version, port,
                        spec.jar().toString(), spec.healthPath(), spec.healthTimeout().toMillis()));
    }

    void started(String instanceId, long pid, int port, Instant startedAt, int restarts) {
        write(jdbc.sql("UPDATE runtime_instance SET pid = ?, port = ?, started_at = ?, restarts = ? WHERE instance_id = ?")
                .params(pid, port, Timestamp.from(startedAt), restarts, instanceId));
    }

    /** The server stopped every process on purpose: none of them died. */
    void stoppedAll() {
        write(jdbc.sql("UPDATE runtime_instance SET pid = NULL WHERE owner = ?").param(owner));
    }

    void delete(String instanceId) {
        write(jdbc.sql("DELETE FROM runtime_instance WHERE instance_id = ?").param(instanceId));
    }

    /** This owner's rows, and rows of builds that recorded no owner (they become this owner's). */
    List<Row> all() {
        write(jdbc.sql("UPDATE runtime_instance SET owner = ? WHERE owner IS NULL").param(owner));
        return jdbc.sql("SELECT * FROM runtime_instance WHERE owner = ? ORDER BY instance_id").param(owner)
                .query((rs, n) -> {
                    long recordedPid = rs.getLong("pid");
                    Long pid = rs.wasNull() ? null : recordedPid;
                    String jar = rs.getString("jar");
                    return new Row(rs.getString("instance_id"), new DeploymentTarget(rs.getString("tenant_id"),
                            rs.getString("plugin_id"), rs.getString("environment")), rs.getString("version"),
                            rs.getInt("port"), pid, rs.getInt("restarts"),
                            jar == null ? null : new LocalProcessRuntime.VersionSpec(Path.of(jar),
                                    rs.getString("health_path"), Duration.ofMillis(rs.getLong("health_timeout_ms"))));
                })
                .list();
    }

    private void write(JdbcClient.StatementSpec statement) {
        ownTransaction.executeWithoutResult(status -> statement.update());
    }
}
