package io.hotswap.api.audit;

import java.util.List;

/** One page of a listing and the total count. A concrete type, because Axon matches query results by class. */
public record AuditPage(List<AuditEntry> items, int page, int size, long total) {
}
