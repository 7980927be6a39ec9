package io.hotswap.ops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hotswap.api.audit.ActorMetaData;
import io.hotswap.api.audit.AuditEventFilter;
import io.hotswap.api.audit.EventTenant;
import io.hotswap.api.audit.StoredEvent;
import io.hotswap.rest.audit.AuditEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The audit export: the rows of Axon's {@code domain_event_entry}, as {@link StoredEvent} lines, in store order. It
 * reads in batches of {@value #BATCH} by position (keyset), each in a short statement of its own, so neither the
 * answer nor a long transaction builds up however many events there are. A tenant's events are found through the
 * index of migration V13; every other filter is a condition on the store's own columns.
 */
@Component
public class EventStoreExport implements AuditEvents {

    private static final Logger log = LoggerFactory.getLogger(EventStoreExport.class);
    private static final int BATCH = 1000;
    private static final Duration WRITERS_WAIT = Duration.ofSeconds(10);
    private static final String COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "type, time_stamp, payload_type, payload_revision, payload, meta_data";

    private final JdbcClient jdbc;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final RowMapper<StoredEvent> row = (rs, n) -> {
        JsonNode payload = read(rs.getBytes("payload"));
        JsonNode metaData = read(rs.getBytes("meta_data"));
        boolean domainEvent = rs.getString("type") != null; // Axon stores other events with their own id as aggregate
        return new StoredEvent(rs.getLong("global_index"), rs.getString("event_identifier"), rs.getString("type"),
                domainEvent ? rs.getString("aggregate_identifier") : null,
                domainEvent ? rs.getLong("sequence_number") : null, StoredEvent.simpleName(rs.getString("payload_type")),
                rs.getString("payload_revision"), Instant.parse(rs.getString("time_stamp")), EventTenant.of(payload),
                text(metaData, ActorMetaData.PRINCIPAL), text(metaData, ActorMetaData.CORRELATION_ID), payload);
    };

    public EventStoreExport(DataSource database) {
        this.jdbc = JdbcClient.create(database);
    }

    @Override
    public Exported export(AuditEventFilter filter, OutputStream out) throws IOException {
        OutputStream lines = new BufferedOutputStream(out, 64 * 1024);
        return read(filter, batch -> {
            for (StoredEvent event : batch) {
                lines.write(json.writeValueAsBytes(event));
                lines.write('\n');
            }
            lines.flush();
        });
    }

    @Override
    public List<StoredEvent> ofAggregate(String aggregateId) {
        List<StoredEvent> events = new ArrayList<>();
        try {
            read(new AuditEventFilter(null, aggregateId, null, null, null, null, null), events::addAll);
        } catch (IOException e) {
            throw new IllegalStateException("adding to a list cannot fail", e);
        }
        return events;
    }

    /** What is done with each batch of events read. */
    private interface Batches {
        void accept(List<StoredEvent> batch) throws IOException;
    }

    /** Hands {@code batches} the events the filter selects, in store order, a batch at a time. */
    private Exported read(AuditEventFilter filter, Batches batches) throws IOException {
        long head = settledHead();
        long limit = filter.limit() == null ? Long.MAX_VALUE : filter.limit();
        long cursor = filter.after() == null ? Long.MIN_VALUE : filter.after();
        long read = 0;
        Long last = null;
        while (read < limit) {
            List<StoredEvent> batch = batch(filter, cursor, head);
            List<StoredEvent> selected = new ArrayList<>();
            for (StoredEvent event : batch) {
                cursor = event.position();
                // the index finds the candidates; the rule decides (also for payloads PostgreSQL could not read)
                if (filter.tenantId() != null && !filter.tenantId().equals(event.tenantId())) continue;
                selected.add(event);
                last = event.position();
                if (++read == limit) break;
            }
            batches.accept(selected);
            if (batch.size() < BATCH) break;
        }
        return new Exported(read, last, head);
    }

    /** The next events after {@code cursor} up to {@code head} that the filter's store conditions select. */
    private List<StoredEvent> batch(AuditEventFilter filter, long cursor, long head) {
        StringBuilder where = new StringBuilder("global_index > ? AND global_index <= ?");
        List<Object> params = new ArrayList<>(List.of(cursor, head));
        if (filter.aggregateId() != null) {
            where.append(" AND type IS NOT NULL AND aggregate_identifier = ?");
            params.add(filter.aggregateId());
        }
        if (filter.eventType() != null) {
            where.append(" AND regexp_replace(payload_type, '^.*[.$]', '') = ?"); // StoredEvent.simpleName
            params.add(filter.eventType());
        }
        if (filter.from() != null) {
            where.append(" AND CAST(time_stamp AS timestamptz) >= ?");
            params.add(OffsetDateTime.ofInstant(filter.from(), ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            where.append(" AND CAST(time_stamp AS timestamptz) < ?");
            params.add(OffsetDateTime.ofInstant(filter.to(), ZoneOffset.UTC));
        }
        String select = "SELECT " + COLUMNS + " FROM domain_event_entry WHERE ";
        String inOrder = " ORDER BY global_index LIMIT " + BATCH;
        if (filter.tenantId() == null) return jdbc.sql(select + where + inOrder).params(params).query(row).list();
        // two ordered walks of the tenant index, merged: the tenant's events, and those PostgreSQL could not read ('')
        List<Object> both = new ArrayList<>();
        both.add(filter.tenantId());
        both.addAll(params);
        both.addAll(params);
        return jdbc.sql("(" + select + "event_tenant_id(payload) = ? AND " + where + inOrder + ") UNION ALL ("
                        + select + "event_tenant_id(payload) = '' AND " + where + inOrder + ")" + inOrder)
                .params(both).query(row).list();
    }

    /**
     * The position the export reads up to: the store's head, once every transaction that was appending events when it
     * was read has ended. PostgreSQL hands out positions before commit, so an append still in flight may hold a
     * position below the head; an export that went past it, and a client resuming after it, would never see that
     * event. An append holds its lock on the table from before it takes a position until it ends.
     */
    private long settledHead() {
        long head = jdbc.sql("SELECT coalesce(max(global_index), -1) FROM domain_event_entry").query(Long.class).single();
        Set<String> appending = new HashSet<>(appendingTransactions());
        Instant giveUp = Instant.now().plus(WRITERS_WAIT);
        while (!appending.isEmpty()) {
            if (Instant.now().isAfter(giveUp)) {
                log.warn("Audit export: transactions {} have been writing to the event store for over {} s; exporting "
                        + "up to position {} without waiting for them", appending, WRITERS_WAIT.toSeconds(), head);
                break;
            }
            sleep();
            appending.retainAll(appendingTransactions());
        }
        return head;
    }

    private List<String> appendingTransactions() {
        return jdbc.sql("""
                SELECT virtualtransaction FROM pg_locks
                WHERE locktype = 'relation' AND mode = 'RowExclusiveLock'
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND relation = 'domain_event_entry'::regclass""").query(String.class).list();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for appends to the event store to end", e);
        }
    }

    /** The stored JSON; text it cannot read stays in the line as a string rather than go missing. */
    private JsonNode read(byte[] stored) {
        if (stored == null) return null;
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException unreadable) {
            return TextNode.valueOf(new String(stored, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
    }

    private static String text(JsonNode metaData, String key) {
        JsonNode value = metaData == null ? null : metaData.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
