package io.hotswap.query.audit;

import io.hotswap.api.audit.AuditEntry;
import io.hotswap.api.audit.AuditPage;
import io.hotswap.api.page.PageRequest;
import io.hotswap.query.JsonColumns;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit_entry} table: one row per stored event, in store order. */
@Repository
public class AuditTrail {

    private final JdbcClient jdbc;
    private final JsonColumns json;
    private final RowMapper<AuditEntry> row;

    public AuditTrail(JdbcClient jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
        this.row = (rs, n) -> new AuditEntry(rs.getLong("position"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("aggregate_id"), rs.getString("tenant_id"),
                rs.getString("principal"), rs.getString("correlation_id"), rs.getTimestamp("occurred_at").toInstant(),
                json.read(rs.getString("payload"), JsonNode.class));
    }

    /**
     * Records the event at its own place in the store, read from the store: the entry's position (the processor's
     * token) is past it when the event committed after a later one (a gap the token filled), and a replay, which sees
     * no gaps, would place it differently. The entry's position counts only for an event the store does not hold.
     */
    public void record(AuditEntry entry) {
        jdbc.sql("""
                INSERT INTO audit_entry (position, event_id, event_type, aggregate_id, tenant_id, principal,
                                         correlation_id, occurred_at, payload)
                VALUES (coalesce((SELECT global_index FROM domain_event_entry WHERE event_identifier = ?), ?),
                        ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (event_id) DO NOTHING""")
                .params(entry.eventId(), entry.position(), entry.eventId(), entry.eventType(), entry.aggregateId(), entry.tenantId(),
                        entry.principal(), entry.correlationId(), Timestamp.from(entry.occurredAt()),
                        json.write(entry.payload()))
                .update();
    }

    public AuditPage find(String tenantId, String eventType, String aggregateId, String principal,
                                 PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        for (var filter : new String[][]{{"tenant_id", tenantId}, {"event_type", eventType},
                {"aggregate_id", aggregateId}, {"principal", principal}}) {
            if (filter[1] != null) {
                where.append(" AND ").append(filter[0]).append(" = ?");
                params.add(filter[1]);
            }
        }
        long total = jdbc.sql("SELECT count(*) FROM audit_entry" + where).params(params).query(Long.class).single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(page.size());
        pageParams.add(page.offset());
        List<AuditEntry> items = jdbc.sql("SELECT * FROM audit_entry" + where + " ORDER BY position LIMIT ? OFFSET ?")
                .params(pageParams).query(row).list();
        return new AuditPage(items, page.page(), page.size(), total);
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM audit_entry").update();
    }
}
