package io.hotswap.api.audit;

import io.hotswap.api.error.Input;

import java.time.Instant;

/**
 * Which stored events an audit export reads; every part is optional. {@code from} (inclusive) and {@code to}
 * (exclusive) bound the events' timestamps; {@code after} is a store position (the export resumes past it);
 * {@code limit} caps the number of events. The REST endpoint and the CLI both build it with {@link #parse}.
 */
public record AuditEventFilter(String tenantId, String aggregateId, String eventType, Instant from, Instant to,
                               Long after, Long limit) {

    public static final long MAX_LIMIT = 1_000_000;
    private static final int MAX_TEXT = 255;

    /** The filter as text arrives (query parameters, CLI options); blank means not given. */
    public static AuditEventFilter parse(String tenantId, String aggregateId, String eventType, String from,
                                         String to, String after, String limit) {
        Input input = new Input();
        AuditEventFilter filter = new AuditEventFilter(text(input, "tenantId", tenantId),
                text(input, "aggregateId", aggregateId), text(input, "eventType", eventType),
                instant(input, "from", from), instant(input, "to", to), number(input, "after", after),
                number(input, "limit", limit));
        if (filter.after() != null && filter.after() < 0) {
            input.reject("after", "must be a store position (0 or more) from an earlier export, was " + filter.after());
        }
        if (filter.limit() != null) input.range("limit", filter.limit(), 1, MAX_LIMIT);
        if (filter.from() != null && filter.to() != null && filter.from().isAfter(filter.to())) {
            input.reject("from", "must not be after to (" + filter.to() + "), was " + filter.from());
        }
        input.check();
        return filter;
    }

    /** The same filter limited to {@code tenantId} (what a tenant principal may see); null for every tenant. */
    public AuditEventFilter forTenant(String tenantId) {
        return new AuditEventFilter(tenantId, aggregateId, eventType, from, to, after, limit);
    }

    private static String text(Input input, String field, String value) {
        if (value == null || value.isBlank()) return null;
        input.text(field, value, MAX_TEXT);
        return value;
    }

    private static Instant instant(Input input, String field, String value) {
        return given(input, field, value) ? input.instant(field, value) : null;
    }

    private static Long number(Input input, String field, String value) {
        if (!given(input, field, value)) return null;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            input.reject(field, "'" + abbreviate(value) + "' is not a whole number");
            return null;
        }
    }

    /** Whether there is a value to parse: not blank, and no control characters to echo back in a message. */
    private static boolean given(Input input, String field, String value) {
        if (value == null || value.isBlank()) return false;
        String problem = Input.controlCharacterProblem(value, false);
        if (problem != null) input.reject(field, problem);
        return problem == null;
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
