package io.hotswap.api.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One event as the event store holds it, as the audit export writes it (one JSON object a line). {@code position}
 * is its global index, the store's order; {@code eventType} the simple name of its class, as in the audit trail, and
 * {@code revision} that class's {@code @Revision}; {@code aggregateType}, {@code aggregateId} and {@code sequence} are
 * null for events without an aggregate (security violations). {@code tenantId} is the tenant it belongs to
 * ({@link EventTenant}); {@code principal} and {@code correlationId} come from its metadata ({@link ActorMetaData}).
 * {@code payload} is the stored JSON as it is, not upcast.
 */
public record StoredEvent(long position, String eventId, String aggregateType, String aggregateId, Long sequence,
                          String eventType, String revision, Instant timestamp, String tenantId, String principal,
                          String correlationId, JsonNode payload) {

    /** The simple name of a stored payload type ({@code io.hotswap.api.tenant.TenantCreated}: TenantCreated). */
    public static String simpleName(String payloadType) {
        return payloadType.substring(Math.max(payloadType.lastIndexOf('.'), payloadType.lastIndexOf('$')) + 1);
    }
}
