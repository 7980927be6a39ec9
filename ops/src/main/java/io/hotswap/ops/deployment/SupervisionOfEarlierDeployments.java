package io.hotswap.ops.deployment;

import io.hotswap.api.deployment.SuperviseDeploymentCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Builds before supervision ended a deployment's saga when it completed, so nothing watches what they deployed. At
 * start, each such deployment that is its plugin's stable version (the newest completed one of its plugin and
 * environment, with no deployment of that slot under way) is put under supervision; one whose slot is busy waits for
 * the next start. Deployments completed by this build have their saga and are left alone.
 */
@Component
class SupervisionOfEarlierDeployments {

    private static final Logger log = LoggerFactory.getLogger(SupervisionOfEarlierDeployments.class);

    private final JdbcClient jdbc;
    private final CommandGateway commands;

    SupervisionOfEarlierDeployments(JdbcClient jdbc, CommandGateway commands) {
        this.jdbc = jdbc;
        this.commands = commands;
    }

    @EventListener(ApplicationReadyEvent.class)
    void superviseWhatEarlierBuildsCompleted() {
        List<String> unsupervised = unsupervisedStableDeployments();
        for (String deploymentId : unsupervised) {
            try {
                commands.sendAndWait(new SuperviseDeploymentCommand(deploymentId));
            } catch (RuntimeException e) {
                log.warn("Could not put deployment {} under supervision (tried again at the next start): {}",
                        deploymentId, e.getMessage());
            }
        }
        if (!unsupervised.isEmpty()) {
            log.info("Put {} deployment(s) completed by an earlier build under supervision", unsupervised.size());
        }
    }

    List<String> unsupervisedStableDeployments() {
        return jdbc.sql("""
                SELECT stable.deployment_id FROM (
                    SELECT DISTINCT ON (tenant_id, plugin_id, environment) deployment_id, tenant_id, plugin_id, environment
                    FROM deployment_view WHERE status = 'Completed' AND superseded_by IS NULL
                    ORDER BY tenant_id, plugin_id, environment, updated_at DESC) stable
                WHERE NOT EXISTS (SELECT 1 FROM deployment_view busy
                        WHERE busy.tenant_id = stable.tenant_id AND busy.plugin_id = stable.plugin_id
                          AND busy.environment = stable.environment
                          AND busy.status IN ('Queued', 'InProgress', 'Paused', 'RollingBack'))
                  AND NOT EXISTS (SELECT 1 FROM association_value_entry saga
                        WHERE saga.association_key = 'deploymentId' AND saga.association_value = stable.deployment_id)""")
                .query(String.class).list();
    }
}
