package io.hotswap.ops;

import io.hotswap.api.tenant.CreateTenantCommand;
import io.hotswap.api.tenant.FindTenantQuery;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.api.tenant.TenantView;
import io.hotswap.ops.support.ServerTest;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Flyway's schema, and a command's way through the event store and a projection to a query. */
class EventStoreIntegrationTest extends ServerTest {

    @Autowired
    private CommandGateway commands;
    @Autowired
    private QueryGateway queries;

    @Test
    void flywayCreatesTheSnakeCaseSchemaWithByteaPayloads() {
        List<String> tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .query(String.class).list();
        assertThat(tables).contains("domain_event_entry", "snapshot_event_entry", "token_entry", "saga_entry",
                "association_value_entry", "scheduled_tasks", "tenant_directory", "tenant_view", "plugin_view",
                "plugin_version_view", "deployment_view", "deployment_history", "audit_entry");
        Map<String, Object> payload = jdbc.sql("""
                SELECT data_type FROM information_schema.columns
                WHERE table_name = 'domain_event_entry' AND column_name = 'payload'""").query().singleRow();
        assertThat(payload.get("data_type")).isEqualTo("bytea");
        assertThat(jdbc.sql("SELECT increment FROM information_schema.sequences WHERE sequence_name = 'domain_event_entry_global_index_seq'")
                .query(String.class).single()).isEqualTo("1");
    }

    @Test
    void aCommandIsStoredAsARevisionedJsonEventAndProjectedForQueries() {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                new CreateTenantCommand("tenant-stored", "Stored", "stored", new TenantQuotas(2, 2, 2)))
                .andMetaData(MetaData.with("principal", "tester").and("correlationId", "corr-42")));

        Map<String, Object> row = jdbc.sql("""
                SELECT aggregate_identifier, sequence_number, payload_type, payload_revision,
                       convert_from(payload, 'UTF8') AS json, convert_from(meta_data, 'UTF8') AS meta
                FROM domain_event_entry WHERE aggregate_identifier = 'tenant-stored'""").query().singleRow();
        assertThat(row.get("payload_type")).isEqualTo("io.hotswap.api.tenant.TenantCreated");
        assertThat(row.get("payload_revision")).isEqualTo("1");
        assertThat((String) row.get("json")).contains("\"namespace\":\"stored\"");
        assertThat((String) row.get("meta")).contains("\"principal\":\"tester\"", "\"correlationId\":\"corr-42\"");

        awaitProjections();
        TenantView view = queries.query(new FindTenantQuery("tenant-stored"), ResponseTypes.optionalInstanceOf(TenantView.class))
                .join().orElseThrow();
        assertThat(view.quotas()).isEqualTo(new TenantQuotas(2, 2, 2));
        Map<String, Object> audit = jdbc.sql("SELECT principal, correlation_id, tenant_id, event_type FROM audit_entry WHERE aggregate_id = 'tenant-stored'")
                .query().singleRow();
        assertThat(audit).containsEntry("principal", "tester").containsEntry("correlation_id", "corr-42")
                .containsEntry("tenant_id", "tenant-stored").containsEntry("event_type", "TenantCreated");
    }

    @Test
    void httpRequestsStampTheirPrincipalAndCorrelationIdOnEvents() {
        createTenant("tenant-traced", "traced");
        awaitProjections();
        Map<String, Object> audit = jdbc.sql("SELECT principal, correlation_id FROM audit_entry WHERE aggregate_id = 'tenant-traced'")
                .query().singleRow();
        assertThat(audit.get("principal")).isEqualTo("admin");
        assertThat((String) audit.get("correlation_id")).isNotBlank();
    }
}
