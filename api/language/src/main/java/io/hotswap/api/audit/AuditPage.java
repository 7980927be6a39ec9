package io.hotswap.api.audit;

import java.util.List;

/**
 * One page of the audit trail. {@code total} counts the matching entries up to {@link #COUNTED} ({@code totalExact}
 * false when there are more: counting a million entries would cost more than the page). {@code next} is the cursor to
 * the following page, null on the last. A concrete type, because Axon matches query results by class.
 */
public record AuditPage(List<AuditEntry> items, int page, int size, long total, boolean totalExact, String next) {

    public static final int COUNTED = 10_000;
}
