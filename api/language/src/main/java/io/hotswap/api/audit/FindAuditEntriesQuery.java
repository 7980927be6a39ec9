package io.hotswap.api.audit;

import io.hotswap.api.page.PageRequest;

/** Every filter is optional; entries come oldest first. */
public record FindAuditEntriesQuery(String tenantId, String eventType, String aggregateId, String principal,
                                    PageRequest page) {
}
