package io.hotswap.api.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One event of the store as the audit trail shows it: who did what, when, to which tenant. */
public record AuditEntry(long position, String eventId, String eventType, String aggregateId, String tenantId,
                         String principal, String correlationId, Instant occurredAt, JsonNode payload) {
}
