package io.hotswap.api.audit;

import io.hotswap.api.page.PageCursor;
import io.hotswap.api.page.PageRequest;

import java.time.Instant;
import java.util.Map;

/**
 * Every filter is optional; {@code from} is inclusive, {@code to} exclusive. Entries come oldest first: in store
 * order (position), or with a time range in time order (occurred at, then position), which keeps every page of a
 * range a short index scan.
 */
public record FindAuditEntriesQuery(String tenantId, String eventType, String aggregateId, String principal,
                                    Instant from, Instant to, PageRequest page) {

    /** The name of this listing in its cursors. */
    public static final String LISTING = "audit";

    public boolean inTimeOrder() {
        return from != null || to != null;
    }

    /** The filters by their query parameter names, as a cursor carries them. */
    public Map<String, String> filters() {
        return PageCursor.filters("tenantId", tenantId, "eventType", eventType, "aggregateId", aggregateId,
                "principal", principal, "from", from == null ? null : from.toString(), "to", to == null ? null : to.toString());
    }
}
