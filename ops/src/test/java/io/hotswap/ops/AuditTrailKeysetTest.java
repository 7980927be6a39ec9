package io.hotswap.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.api.audit.AuditEntry;
import io.hotswap.api.audit.AuditPage;
import io.hotswap.api.audit.FindAuditEntriesQuery;
import io.hotswap.api.page.PageCursor;
import io.hotswap.api.page.PageCursors;
import io.hotswap.api.page.PageRequest;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.audit.AuditQueryHandler;
import io.hotswap.query.audit.AuditTrail;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail's keyset indexes come by a migration (V14) over entries an earlier build wrote, some of them two at
 * one position (as builds before the gap fix of {@code AuditTrailPositionTest} did): a walk by cursor over them sees
 * each entry once, in store order, also where such a pair straddles two pages.
 */
class AuditTrailKeysetTest {

    private static final String[] KEYSET_INDEXES = {"audit_entry_principal_idx", "audit_entry_tenant_type_idx",
            "audit_entry_time_idx", "deployment_view_created_idx"};

    private final PageCursors cursors = new PageCursors("a secret of the test, long enough for HMAC".getBytes());

    @Test
    void indexesComeOverEntriesOfAnEarlierBuildAndAWalkSeesEachEntryOnce() {
        HikariDataSource database = new HikariDataSource();
        database.setJdbcUrl(TestDatabase.create());
        try {
            Flyway.configure().dataSource(database).locations("classpath:db/migration").target("12").load().migrate(); // as an earlier build left it
            JdbcClient jdbc = JdbcClient.create(database);
            List<String> written = new ArrayList<>();
            Instant start = Instant.parse("2025-01-01T00:00:00Z");
            // positions 1 2 3 3 4 5 6 7 7 8 ...: pairs at 3 and 7, the first straddling pages of three
            long position = 0;
            for (int i = 0; i < 14; i++) {
                if (i != 3 && i != 8) position++;
                String eventId = "event-%02d".formatted(i);
                writeAsAnEarlierBuild(jdbc, position, eventId, i % 2 == 0 ? "tenant-even" : "tenant-odd",
                        start.plusSeconds(i));
                written.add(eventId);
            }

            Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();

            assertThat(jdbc.sql("SELECT indexname FROM pg_indexes WHERE tablename IN ('audit_entry', 'deployment_view')")
                    .query(String.class).list()).contains(KEYSET_INDEXES);
            AuditQueryHandler audit = new AuditQueryHandler(new AuditTrail(jdbc,
                    new ReadModelWrites(new JdbcTemplate(database)), new JsonColumns(new ObjectMapper())), cursors);
            assertThat(walk(audit, null, null, null)).containsExactlyElementsOf(written);
            assertThat(walk(audit, "tenant-odd", null, null))
                    .containsExactlyElementsOf(written.stream().filter(id -> Integer.parseInt(id.substring(6)) % 2 == 1).toList());
            assertThat(walk(audit, null, start.plusSeconds(3), start.plusSeconds(10)))
                    .containsExactlyElementsOf(written.subList(3, 10));
        } finally {
            database.close();
            TestDatabase.drop(database.getJdbcUrl());
        }
    }

    /** Pages of three, each from the cursor of the one before, as the API hands them on. */
    private List<String> walk(AuditQueryHandler audit, String tenantId, Instant from, Instant to) {
        List<String> seen = new ArrayList<>();
        PageRequest page = new PageRequest(0, 3);
        for (int pages = 0; pages < 20; pages++) {
            AuditPage answer = audit.handle(new FindAuditEntriesQuery(tenantId, null, null, null, from, to, page));
            answer.items().stream().map(AuditEntry::eventId).forEach(seen::add);
            if (answer.next() == null) return seen;
            PageCursor next = cursors.read(answer.next(), FindAuditEntriesQuery.LISTING);
            page = new PageRequest(next.page(), 3, next.after());
        }
        throw new AssertionError("the walk did not end: " + seen);
    }

    private static void writeAsAnEarlierBuild(JdbcClient jdbc, long position, String eventId, String tenantId, Instant at) {
        jdbc.sql("""
                INSERT INTO audit_entry (position, event_id, event_type, aggregate_id, tenant_id, principal,
                                         correlation_id, occurred_at, payload)
                VALUES (?, ?, 'TenantCreated', ?, ?, 'admin', NULL, ?, jsonb_build_object('tenantId', ?::text))""")
                .params(position, eventId, tenantId, tenantId, Timestamp.from(at), tenantId).update();
    }
}
