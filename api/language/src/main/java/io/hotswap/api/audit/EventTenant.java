package io.hotswap.api.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which tenant an event belongs to: the one its payload's {@code tenantId} names. Every tenant and deployment event
 * carries it, a security violation names the tenant that was reached for, and plugin events belong to no tenant (the
 * catalogue is shared). The audit trail, the Kafka envelope and the audit export all ask here; the export's index in
 * PostgreSQL ({@code event_tenant_id}, migration V13) reads the same field.
 */
public final class EventTenant {

    public static final String FIELD = "tenantId";

    private EventTenant() {
    }

    /** The tenant of the event whose payload (as JSON) this is; null for none. */
    public static String of(JsonNode payload) {
        JsonNode tenantId = payload == null ? null : payload.get(FIELD);
        return tenantId == null || tenantId.isNull() ? null : tenantId.asText();
    }
}
