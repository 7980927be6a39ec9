package io.hotswap.query.audit;

import io.hotswap.api.audit.AuditEntry;
import io.hotswap.api.audit.AuditPage;
import io.hotswap.api.audit.FindAuditEntriesQuery;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.page.PageRequest;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.Where;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code audit_entry} table: one row per stored event, at its position in the store. */
@Component // not a @Repository: see ReadModelWrites
public class AuditTrail {

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;
    private final JsonColumns json;
    private final RowMapper<AuditEntry> row;

    public AuditTrail(JdbcClient jdbc, ReadModelWrites writes, JsonColumns json) {
        this.jdbc = jdbc;
        this.writes = writes;
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
        record(entry, json.write(entry.payload()));
    }

    /**
     * {@link #record(AuditEntry)} with the payload's text as the event store holds it, written as it is unless it
     * escapes a UTF-16 surrogate (as Jackson stores a lone one from a hostile request's path), which PostgreSQL's JSON
     * refuses: that one is written from the entry's tree, where a lone surrogate becomes '?'.
     */
    public void recordAsStored(AuditEntry entry, String storedJson) {
        record(entry, SURROGATE_ESCAPE.matcher(storedJson).find() ? json.write(entry.payload()) : storedJson);
    }

    /** A backslash, u and d8 to df: an escaped UTF-16 surrogate. */
    private static final Pattern SURROGATE_ESCAPE = Pattern.compile("\\\\u[dD][89a-fA-F]");

    private void record(AuditEntry entry, String payloadJson) {
        writes.write("""
                INSERT INTO audit_entry (position, event_id, event_type, aggregate_id, tenant_id, principal,
                                         correlation_id, occurred_at, payload)
                VALUES (coalesce((SELECT global_index FROM domain_event_entry WHERE event_identifier = ?), ?),
                        ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (event_id) DO NOTHING""",
                entry.eventId(), entry.position(), entry.eventId(), entry.eventType(), entry.aggregateId(), entry.tenantId(),
                entry.principal(), entry.correlationId(), Timestamp.from(entry.occurredAt()), payloadJson);
    }

    /**
     * The rows of one page, and the one past it if another follows ({@link PageRequest#limit()}). Paged by keyset on
     * ({@code position}, {@code event_id}), or with a time range on ({@code occurred_at}, {@code position},
     * {@code event_id}): unique (the event id breaks ties between entries written at one position by an earlier build)
     * and served by the indexes of V5 and V14, so a page deep in costs what the first does.
     */
    public List<AuditEntry> find(FindAuditEntriesQuery query) {
        PageRequest page = query.page();
        Where where = where(query);
        if (page.after() != null) {
            AuditKey after = AuditKey.of(page.after());
            if (query.inTimeOrder()) {
                where.and("(occurred_at, position, event_id) > (?, ?, ?)", Timestamp.from(after.occurredAt()),
                        after.position(), after.eventId());
            } else {
                where.and("(position, event_id) > (?, ?)", after.position(), after.eventId());
            }
        }
        String order = query.inTimeOrder() ? "occurred_at, position, event_id" : "position, event_id";
        return jdbc.sql("SELECT * FROM audit_entry" + where.sql() + " ORDER BY " + order + " LIMIT ? OFFSET ?")
                .params(where.params(page.limit(), page.offset())).query(row).list();
    }

    /** The matching entries, counted up to one past {@link AuditPage#COUNTED}: enough to say whether there are more. */
    public long count(FindAuditEntriesQuery query) {
        Where where = where(query);
        return jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM audit_entry" + where.sql() + " LIMIT ?) AS counted")
                .params(where.params(AuditPage.COUNTED + 1)).query(Long.class).single();
    }

    /** The sort key of an entry as a cursor carries it. */
    public static List<String> key(AuditEntry entry) {
        return new AuditKey(entry.position(), entry.eventId(), entry.occurredAt()).values();
    }

    private static Where where(FindAuditEntriesQuery query) {
        Where where = new Where().equal("tenant_id", query.tenantId()).equal("event_type", query.eventType())
                .equal("aggregate_id", query.aggregateId()).equal("principal", query.principal());
        if (query.from() != null) where.and("occurred_at >= ?", Timestamp.from(query.from()));
        if (query.to() != null) where.and("occurred_at < ?", Timestamp.from(query.to()));
        return where;
    }

    /** Where an entry stands in either order. */
    private record AuditKey(long position, String eventId, Instant occurredAt) {

        static AuditKey of(List<String> values) {
            try {
                return new AuditKey(Long.parseLong(values.get(0)), values.get(1), Instant.parse(values.get(2)));
            } catch (RuntimeException e) { // signed by this server, so only by a build that kept another key
                throw new InvalidInputException("after", "is a cursor of an earlier version of this listing; "
                        + "leave 'after' out to start from the first page");
            }
        }

        List<String> values() {
            return List.of(Long.toString(position), eventId, occurredAt.toString());
        }
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM audit_entry").update();
    }
}
