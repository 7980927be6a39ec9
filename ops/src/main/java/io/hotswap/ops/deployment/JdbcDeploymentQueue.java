package io.hotswap.ops.deployment;

import io.hotswap.sagas.deployment.DeploymentQueue;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** The deployment queue in PostgreSQL, written in the deployment-queue processor's transaction. */
public class JdbcDeploymentQueue implements DeploymentQueue {

    private final JdbcClient jdbc;

    public JdbcDeploymentQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void enqueue(String deploymentId, String tenantId, Instant queuedAt) {
        jdbc.sql("INSERT INTO deployment_queue (deployment_id, tenant_id, queued_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(deploymentId, tenantId, Timestamp.from(queuedAt)).update();
    }

    @Override
    public void finish(String deploymentId) {
        jdbc.sql("DELETE FROM deployment_queue WHERE deployment_id = ?").param(deploymentId).update();
    }

    @Override
    public List<String> admit(int maxConcurrent) {
        // Fair across tenants: a waiting deployment ranks by how many its tenant already runs plus how many of the
        // tenant's own wait ahead of it, then by how long it has waited.
        return jdbc.sql("""
                WITH running AS (SELECT tenant_id, count(*) AS n FROM deployment_queue
                                 WHERE admitted_at IS NOT NULL GROUP BY tenant_id),
                     free AS (SELECT greatest(0, ? - (SELECT count(*) FROM deployment_queue WHERE admitted_at IS NOT NULL)) AS n),
                     chosen AS (
                         SELECT q.deployment_id
                         FROM deployment_queue q LEFT JOIN running r ON r.tenant_id = q.tenant_id
                         WHERE q.admitted_at IS NULL
                         ORDER BY coalesce(r.n, 0) + row_number() OVER (PARTITION BY q.tenant_id ORDER BY q.queued_at),
                                  q.queued_at, q.deployment_id
                         LIMIT (SELECT n FROM free))
                UPDATE deployment_queue SET admitted_at = now()
                WHERE deployment_id IN (SELECT deployment_id FROM chosen)
                RETURNING deployment_id""")
                .param(maxConcurrent).query(String.class).list();
    }
}
