package io.hotswap.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.api.audit.AuditEntry;
import io.hotswap.api.audit.FindAuditEntriesQuery;
import io.hotswap.api.page.PageRequest;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.audit.AuditTrail;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * An event whose transaction committed after a later event's reaches the audit trail with the processor's token
 * already at that later event (Axon's gap-aware token keeps the highest index it saw). It must still be listed at its
 * own place in the store, as a replay of the trail, which sees no gaps, lists it: the BackupRestoreDrillTest found
 * two entries at one position before a replay and one at each after.
 */
class AuditTrailPositionTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void anEventThatFilledAGapIsListedAtItsOwnPlaceInTheStore() {
        HikariDataSource database = TestDatabase.migrated();
        try {
            JdbcClient jdbc = JdbcClient.create(database);
            storeEvent(jdbc, 15, "committed-late");
            storeEvent(jdbc, 16, "committed-first");
            AuditTrail trail = new AuditTrail(jdbc, new ReadModelWrites(new JdbcTemplate(database)), new JsonColumns(mapper));

            trail.record(entry(16, "committed-first"));
            trail.record(entry(16, "committed-late")); // the token had passed 15 when the gap was filled
            trail.record(entry(17, "not-in-this-store"));

            assertThat(trail.find(new FindAuditEntriesQuery(null, null, null, null, null, null, new PageRequest(0, 10))))
                    .extracting(AuditEntry::eventId, AuditEntry::position)
                    .containsExactly(tuple("committed-late", 15L), tuple("committed-first", 16L),
                            tuple("not-in-this-store", 17L));
        } finally {
            database.close();
            TestDatabase.drop(database.getJdbcUrl());
        }
    }

    private static void storeEvent(JdbcClient jdbc, long globalIndex, String eventId) {
        jdbc.sql("""
                INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number,
                                                type, time_stamp, payload_type, payload)
                VALUES (?, ?, ?, 0, 'Tenant', ?, 'io.hotswap.api.tenant.TenantCreated', '{}'::bytea)""")
                .params(globalIndex, eventId, eventId, Instant.now().toString()).update();
    }

    private AuditEntry entry(long tokenPosition, String eventId) {
        return new AuditEntry(tokenPosition, eventId, "TenantCreated", eventId, eventId, "admin", null, Instant.now(),
                mapper.createObjectNode().put("tenantId", eventId));
    }
}
