package io.hotswap.ops;

import io.hotswap.ops.audit.EventChain;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tamper evidence: the server checkpoints the event store's chain, and {@code audit verify} (the command an auditor
 * runs) names the first stored event that was edited, removed or inserted in PostgreSQL since, with its position.
 */
@TestPropertySource(properties = "Audit.ChainCheckpointInterval=1h") // the test extends the chain itself, when it chooses
class EventChainTest extends ServerTest {

    @Autowired
    private DataSource database;
    @Value("${spring.datasource.url}")
    private String databaseUrl;

    @Test
    void auditVerifyNamesTheFirstEventChangedRemovedOrInsertedSinceItsCheckpoint() throws Exception {
        createTenant("tenant-chain-a", "chain-a");
        createTenant("tenant-chain-b", "chain-b");
        awaitProjections();
        long stored = storedEvents();
        EventChain chain = new EventChain(database, 1, Duration.ZERO, Clock.systemUTC());
        assertThat(chain.checkpoint()).isEqualTo(stored);
        assertThat(verify()).isEqualTo(new Verified(0, "OK: %d events in %d checkpoints verified up to position %d"
                .formatted(stored, stored, lastIndex())));

        long created = jdbc.sql("SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = 'tenant-chain-b' "
                + "AND sequence_number = 0").query(Long.class).single();
        String expectedEvent = "the event at position " + created + " (io.hotswap.api.tenant.TenantCreated, aggregate tenant-chain-b, sequence 0)";

        byte[] original = jdbc.sql("SELECT payload FROM domain_event_entry WHERE global_index = ?").param(created)
                .query(byte[].class).single();
        String forged = new String(original, StandardCharsets.UTF_8).replace("Tenant tenant-chain-b", "Tenant someone-else");
        assertThat(forged).isNotEqualTo(new String(original, StandardCharsets.UTF_8));
        setPayload(created, forged.getBytes(StandardCharsets.UTF_8));
        assertThat(verify()).isEqualTo(new Verified(1, "TAMPERED: " + expectedEvent + " was changed since the checkpoint up to position "
                + checkpointCovering(created)));
        setPayload(created, original);
        assertThat(verify().exitCode()).isZero();

        jdbc.sql("UPDATE domain_event_entry SET global_index = -global_index WHERE global_index = ?").param(created).update();
        assertThat(verify()).isEqualTo(new Verified(1, "TAMPERED: the event at position " + created
                + " was removed since the checkpoint up to position " + checkpointCovering(created)));
        jdbc.sql("UPDATE domain_event_entry SET global_index = -global_index WHERE global_index = ?").param(-created).update();

        // the event store's sequence starts at 1: position 0 lies inside the first checkpoint and never held an event
        jdbc.sql("INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number, "
                + "type, time_stamp, payload_type, payload) VALUES (0, 'forged', 'tenant-forged', 0, 'Tenant', "
                + "'2026-01-01T00:00:00Z', 'io.hotswap.api.tenant.TenantCreated', '\\x7b7d')").update();
        assertThat(verify()).isEqualTo(new Verified(1, "TAMPERED: the event at position 0 (io.hotswap.api.tenant.TenantCreated, "
                + "aggregate tenant-forged, sequence 0) was inserted since the checkpoint up to position " + checkpointCovering(0)));
        jdbc.sql("DELETE FROM domain_event_entry WHERE global_index = 0").update();
        assertThat(verify().exitCode()).isZero();

        jdbc.sql("DELETE FROM event_chain_checkpoint WHERE previous_last_index = -1").update();
        assertThat(verify().output()).startsWith("TAMPERED: the checkpoint up to position ")
                .endsWith("does not follow from the one before it (up to position -1): checkpoints were edited or removed");
    }

    private record Verified(int exitCode, String output) {
    }

    /** {@code audit verify} as the auditor runs it, on this test's database; its first line only, sans chain digest. */
    private Verified verify() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exitCode = Cli.run(new String[]{"audit", "verify", "--spring.datasource.url=" + databaseUrl},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String line = out.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
        return new Verified(exitCode, line.replaceAll("; chain digest [0-9a-f]{64}; 0 newer events not checkpointed yet$", ""));
    }

    private void setPayload(long index, byte[] payload) {
        jdbc.sql("UPDATE domain_event_entry SET payload = ? WHERE global_index = ?").params(payload, index).update();
    }

    private long lastIndex() {
        return jdbc.sql("SELECT max(global_index) FROM domain_event_entry").query(Long.class).single();
    }

    private long checkpointCovering(long index) {
        return jdbc.sql("SELECT min(last_index) FROM event_chain_checkpoint WHERE last_index >= ?").param(index)
                .query(Long.class).single();
    }
}
