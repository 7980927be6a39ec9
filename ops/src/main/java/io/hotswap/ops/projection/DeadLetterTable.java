package io.hotswap.ops.projection;

import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.page.PageCursor;
import io.hotswap.api.page.PageCursors;
import io.hotswap.api.page.PageRequest;
import io.hotswap.ops.config.DeadLetterConfig;
import io.hotswap.query.Where;
import io.hotswap.rest.projection.Projections.Cause;
import io.hotswap.rest.projection.Projections.DeadLetter;
import io.hotswap.rest.projection.Projections.DeadLetterPage;
import io.hotswap.rest.projection.Projections.DeadLetters;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads Axon's dead-letter queue table ({@code dead_letter_entry}) as it is, for the API and the metrics: one query
 * for the summary of every processing group, one for a page of one group's letters. Parking and retrying go through
 * Axon.
 */
@Component
public class DeadLetterTable {

    private final JdbcClient jdbc;
    private final Serializer serializer;
    private final PageCursors cursors;

    DeadLetterTable(JdbcClient jdbc, Serializer serializer, PageCursors cursors) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.cursors = cursors;
    }

    /** Per processing group that has dead letters: how many, since when, and the cause of the oldest that has one. */
    public Map<String, DeadLetters> summaries() {
        return jdbc.sql("""
                        SELECT processing_group, count(*) AS letters, min(enqueued_at) AS oldest,
                               (array_agg(cause_type ORDER BY enqueued_at) FILTER (WHERE cause_type IS NOT NULL))[1] AS cause_type,
                               (array_agg(cause_message ORDER BY enqueued_at) FILTER (WHERE cause_type IS NOT NULL))[1] AS cause_message
                        FROM dead_letter_entry GROUP BY processing_group""")
                .query((rs, n) -> Map.entry(rs.getString("processing_group"), new DeadLetters(rs.getLong("letters"),
                        instant(rs.getString("oldest")), cause(rs))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * One group's letters, the oldest first, each aggregate's in the order they are to be handled; keyset on
     * ({@code enqueued_at}, {@code sequence_identifier}, {@code sequence_index}), unique within the group.
     */
    public DeadLetterPage page(String processingGroup, PageRequest page) {
        long total = jdbc.sql("SELECT count(*) FROM dead_letter_entry WHERE processing_group = ?")
                .param(processingGroup).query(Long.class).single();
        Where where = new Where().and("processing_group = ?", processingGroup);
        if (page.after() != null) {
            where.and("(enqueued_at, sequence_identifier, sequence_index) > (?, ?, ?)", afterKey(page.after()).toArray());
        }
        List<Listed> read = jdbc.sql("""
                        SELECT sequence_identifier, sequence_index, event_identifier, payload_type, aggregate_identifier,
                               token_type, token, cause_type, cause_message, enqueued_at, last_touched, diagnostics
                        FROM dead_letter_entry""" + where.sql()
                        + " ORDER BY enqueued_at, sequence_identifier, sequence_index LIMIT ? OFFSET ?")
                .params(where.params(page.limit(), page.offset()))
                .query((rs, n) -> new Listed(new DeadLetter(rs.getString("sequence_identifier"), rs.getLong("sequence_index"),
                        rs.getString("event_identifier"), simpleName(rs.getString("payload_type")),
                        rs.getString("aggregate_identifier"), globalPosition(rs), cause(rs),
                        instant(rs.getString("enqueued_at")), instant(rs.getString("last_touched")), retries(rs)),
                        List.of(rs.getString("enqueued_at"), rs.getString("sequence_identifier"),
                                Long.toString(rs.getLong("sequence_index")))))
                .list();
        return new DeadLetterPage(page.shown(read).stream().map(Listed::letter).toList(), page.page(), page.size(), total,
                cursors.next(DeadLetterPage.LISTING, PageCursor.filters("projection", processingGroup), page, read,
                        Listed::key));
    }

    /** A letter and its sort key as stored (the times are text, compared as text). */
    private record Listed(DeadLetter letter, List<String> key) {
    }

    private static List<Object> afterKey(List<String> key) {
        try {
            return List.of(key.get(0), key.get(1), Long.parseLong(key.get(2)));
        } catch (RuntimeException e) { // signed by this server, so only by a build that kept another key
            throw new InvalidInputException("after", "is a cursor of an earlier version of this listing; "
                    + "leave 'after' out to start from the first page");
        }
    }

    private static Cause cause(ResultSet rs) throws SQLException {
        String type = rs.getString("cause_type");
        return type == null ? null : new Cause(type, rs.getString("cause_message"));
    }

    private static Instant instant(String stored) {
        return stored == null ? null : DateTimeUtils.parseInstant(stored);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** The event's position in the store, from the tracking token it was read with (none for a subscribed event). */
    private Long globalPosition(ResultSet rs) throws SQLException {
        byte[] token = rs.getBytes("token");
        if (token == null) return null;
        TrackingToken tracking = serializer.deserialize(
                new SimpleSerializedObject<>(token, byte[].class, rs.getString("token_type"), null));
        return tracking.position().isPresent() ? tracking.position().getAsLong() : null;
    }

    private int retries(ResultSet rs) throws SQLException {
        byte[] diagnostics = rs.getBytes("diagnostics");
        if (diagnostics == null) return 0;
        MetaData metaData = serializer.deserialize(
                new SimpleSerializedObject<>(diagnostics, byte[].class, MetaData.class.getName(), null));
        return metaData.get(DeadLetterConfig.RETRIES) instanceof Number retries ? retries.intValue() : 0;
    }
}
