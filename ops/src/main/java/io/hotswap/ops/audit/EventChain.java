package io.hotswap.ops.audit;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Tamper evidence for the event store: a chain of SHA-256 digests over the stored rows of {@code domain_event_entry},
 * checkpointed in {@code event_chain_checkpoint} in the same database. A checkpoint covers the events after the previous
 * one (at most {@code eventsPerCheckpoint}), keeps each one's global index and the digest of its whole row (ids,
 * sequence, type, timestamp, payload, metadata), and chains to the previous checkpoint. {@link #verify()} recomputes
 * all of it and names the first event changed, removed or inserted since its checkpoint.
 *
 * <p>Only events older than {@code settle} are checkpointed: PostgreSQL hands out global indexes before commit, so a
 * slow transaction can still make a lower index visible after a higher one, and a checkpoint taken past it would
 * report that event as inserted. What the chain cannot show is a rewrite of the events and every checkpoint after them
 * together; {@link Verification#headDigest()} is the value to record outside the database to rule that out too.
 */
public final class EventChain {

    private static final int INDEX_BYTES = Long.BYTES;
    private static final int DIGEST_BYTES = 32;
    private static final int ENTRY_BYTES = INDEX_BYTES + DIGEST_BYTES;
    private static final String EVENT_COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "type, time_stamp, payload_type, payload_revision, payload, meta_data";
    private static final List<String> TEXT_COLUMNS = List.of("event_identifier", "aggregate_identifier",
            "sequence_number", "type", "time_stamp", "payload_type", "payload_revision");

    private final DataSource database;
    private final int eventsPerCheckpoint;
    private final Duration settle;
    private final Clock clock;

    public EventChain(DataSource database, int eventsPerCheckpoint, Duration settle, Clock clock) {
        if (eventsPerCheckpoint < 1) throw new IllegalArgumentException("eventsPerCheckpoint must be at least 1");
        this.database = database;
        this.eventsPerCheckpoint = eventsPerCheckpoint;
        this.settle = settle;
        this.clock = clock;
    }

    /** Checkpoints the settled events after the last checkpoint; how many events it covered. */
    public int checkpoint() throws SQLException {
        int covered = 0;
        try (Connection connection = database.getConnection()) {
            while (true) {
                Link last = lastLink(connection);
                List<Entry> events = settledEventsAfter(connection, last.lastIndex());
                if (events.isEmpty() || !append(connection, last, events)) return covered; // or another replica did
                covered += events.size();
                if (events.size() < eventsPerCheckpoint) return covered;
            }
        }
    }

    /** Recomputes every checkpoint from the stored events, stopping at the first difference. */
    public Verification verify() throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false); // lets PostgreSQL stream the rows with a cursor
            connection.setReadOnly(true);
            byte[] chain = new byte[DIGEST_BYTES];
            long previous = -1;
            long events = 0;
            int checkpoints = 0;
            try (PreparedStatement query = connection.prepareStatement("SELECT last_index, previous_last_index, "
                    + "event_digests, chain_digest FROM event_chain_checkpoint ORDER BY last_index")) {
                query.setFetchSize(16);
                try (ResultSet checkpoint = query.executeQuery()) {
                    while (checkpoint.next()) {
                        long last = checkpoint.getLong("last_index");
                        byte[] digests = checkpoint.getBytes("event_digests");
                        byte[] stored = checkpoint.getBytes("chain_digest");
                        if (checkpoint.getLong("previous_last_index") != previous
                                || !Arrays.equals(stored, chained(chain, digests))) {
                            return Verification.failed(events, checkpoints, new Finding(Finding.Kind.CHECKPOINT, last,
                                    "the checkpoint up to position " + last + " does not follow from the one before it "
                                            + "(up to position " + previous + "): checkpoints were edited or removed"));
                        }
                        Finding finding = compare(connection, previous, last, digests);
                        if (finding != null) return Verification.failed(events, checkpoints, finding);
                        chain = stored;
                        previous = last;
                        events += digests.length / ENTRY_BYTES;
                        checkpoints++;
                    }
                }
            }
            long newer = count(connection, previous);
            connection.commit();
            return new Verification(events, checkpoints, previous, HexFormat.of().formatHex(chain), newer, null);
        }
    }

    /** The stored events in (previous, last] against the digests the checkpoint kept for them; null when they match. */
    private static Finding compare(Connection connection, long previous, long last, byte[] digests) throws SQLException {
        ByteBuffer kept = ByteBuffer.wrap(digests);
        try (PreparedStatement query = connection.prepareStatement("SELECT " + EVENT_COLUMNS
                + " FROM domain_event_entry WHERE global_index > ? AND global_index <= ? ORDER BY global_index")) {
            query.setLong(1, previous);
            query.setLong(2, last);
            query.setFetchSize(500);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    long index = row.getLong("global_index");
                    if (kept.hasRemaining() && kept.getLong(kept.position()) < index) {
                        return removed(kept.getLong(kept.position()), last);
                    }
                    if (!kept.hasRemaining() || kept.getLong(kept.position()) > index) {
                        return new Finding(Finding.Kind.INSERTED, index, describe(row) + " was inserted since the "
                                + "checkpoint up to position " + last);
                    }
                    kept.getLong();
                    byte[] expected = new byte[DIGEST_BYTES];
                    kept.get(expected);
                    if (!Arrays.equals(expected, digest(row))) {
                        return new Finding(Finding.Kind.CHANGED, index, describe(row) + " was changed since the "
                                + "checkpoint up to position " + last);
                    }
                }
            }
        }
        return kept.hasRemaining() ? removed(kept.getLong(kept.position()), last) : null;
    }

    private static Finding removed(long index, long last) {
        return new Finding(Finding.Kind.REMOVED, index, "the event at position " + index
                + " was removed since the checkpoint up to position " + last);
    }

    private static String describe(ResultSet row) throws SQLException {
        return "the event at position %d (%s, aggregate %s, sequence %d)".formatted(row.getLong("global_index"),
                row.getString("payload_type"), row.getString("aggregate_identifier"), row.getLong("sequence_number"));
    }

    private record Link(long lastIndex, byte[] chainDigest) {
    }

    private record Entry(long index, byte[] digest) {
    }

    private static Link lastLink(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT last_index, chain_digest FROM event_chain_checkpoint ORDER BY last_index DESC LIMIT 1");
             ResultSet row = query.executeQuery()) {
            return row.next() ? new Link(row.getLong(1), row.getBytes(2)) : new Link(-1, new byte[DIGEST_BYTES]);
        }
    }

    /** Up to eventsPerCheckpoint events after {@code index}, in index order, ending before the first unsettled one. */
    private List<Entry> settledEventsAfter(Connection connection, long index) throws SQLException {
        Instant settledBefore = clock.instant().minus(settle);
        List<Entry> events = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + EVENT_COLUMNS
                + " FROM domain_event_entry WHERE global_index > ? ORDER BY global_index LIMIT ?")) {
            query.setLong(1, index);
            query.setInt(2, eventsPerCheckpoint);
            try (ResultSet row = query.executeQuery()) {
                while (row.next() && !Instant.parse(row.getString("time_stamp")).isAfter(settledBefore)) {
                    events.add(new Entry(row.getLong("global_index"), digest(row)));
                }
            }
        }
        return events;
    }

    /** Appends the checkpoint after {@code last}; false when another process appended one there first. */
    private static boolean append(Connection connection, Link last, List<Entry> events) throws SQLException {
        ByteBuffer digests = ByteBuffer.allocate(events.size() * ENTRY_BYTES);
        for (Entry event : events) digests.putLong(event.index()).put(event.digest());
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO event_chain_checkpoint (last_index, "
                + "previous_last_index, event_count, event_digests, chain_digest) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setLong(1, events.get(events.size() - 1).index());
            insert.setLong(2, last.lastIndex());
            insert.setInt(3, events.size());
            insert.setBytes(4, digests.array());
            insert.setBytes(5, chained(last.chainDigest(), digests.array()));
            return insert.executeUpdate() == 1;
        }
    }

    private static long count(Connection connection, long after) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM domain_event_entry WHERE global_index > ?")) {
            query.setLong(1, after);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** SHA-256 of the whole row, each field length-prefixed so that no two rows can give the same input. */
    private static byte[] digest(ResultSet row) throws SQLException {
        MessageDigest sha = sha256();
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(row.getLong("global_index")).array());
        for (String column : TEXT_COLUMNS) {
            String value = row.getString(column);
            field(sha, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }
        field(sha, row.getBytes("payload"));
        field(sha, row.getBytes("meta_data"));
        return sha.digest();
    }

    private static void field(MessageDigest sha, byte[] value) {
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(value == null ? -1 : value.length).array());
        if (value != null) sha.update(value);
    }

    private static byte[] chained(byte[] previousChain, byte[] eventDigests) {
        MessageDigest sha = sha256();
        sha.update(previousChain);
        sha.update(sha256().digest(eventDigests));
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The first difference {@link #verify()} found. */
    public record Finding(Kind kind, long position, String description) {
        public enum Kind { CHANGED, REMOVED, INSERTED, CHECKPOINT }
    }

    /**
     * What {@link #verify()} saw: the events and checkpoints it verified up to {@code verifiedUpTo} (a global index,
     * -1 for none), the chain's digest there, the stored events after it that no checkpoint covers yet, and the first
     * difference, if any.
     */
    public record Verification(long events, int checkpoints, long verifiedUpTo, String headDigest, long uncovered,
                               Finding finding) {

        static Verification failed(long events, int checkpoints, Finding finding) {
            return new Verification(events, checkpoints, -1, null, 0, finding);
        }

        public boolean intact() {
            return finding == null;
        }

        public String summary() {
            if (!intact()) return "TAMPERED: " + finding.description();
            return "OK: %d events in %d checkpoints verified up to position %d; chain digest %s; %d newer events not checkpointed yet"
                    .formatted(events, checkpoints, verifiedUpTo, headDigest, uncovered);
        }
    }
}
