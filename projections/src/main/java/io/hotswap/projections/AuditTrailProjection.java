package io.hotswap.projections;

import io.hotswap.api.audit.ActorMetaData;
import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.api.audit.AuditEntry;
import io.hotswap.api.audit.EventTenant;
import io.hotswap.query.audit.AuditTrail;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * Writes every event of the store into the audit trail: who (principal), what (event type and payload), when,
 * for which tenant, under which correlation id. Security violations are events too, so they land here as well.
 * <p>
 * The payload is taken as stored (Axon's JSON) and written as it is ({@link AuditTrail#recordAsStored}), never
 * deserialised: turning it into the event's class and back into a tree and into text took about a third of the
 * processor's CPU in profiles of the trail's replay (ReplayBenchmark). The rows are the same: the events are written by the same classes with the same Jackson
 * settings (ReplayBenchmark's 200,000 rows compared equal, payload, tenant and type).
 */
@Component
@ProcessingGroup("audit-trail")
public class AuditTrailProjection {

    private final AuditTrail trail;
    private final Serializer serializer;

    public AuditTrailProjection(AuditTrail trail, @Qualifier("eventSerializer") Serializer serializer) {
        this.trail = trail;
        this.serializer = serializer;
    }

    @EventHandler
    void on(EventMessage<?> event, TrackingToken token) {
        byte[] stored = event.serializePayload(serializer, byte[].class).getData();
        JsonNode json = serializer.getConverter().convert(stored, JsonNode.class);
        String aggregateId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        AuditEntry entry = new AuditEntry(token.position().orElse(-1), event.getIdentifier(),
                event.getPayloadType().getSimpleName(), aggregateId, EventTenant.of(json),
                (String) event.getMetaData().get(ActorMetaData.PRINCIPAL),
                (String) event.getMetaData().get(ActorMetaData.CORRELATION_ID), event.getTimestamp(), json);
        trail.recordAsStored(entry, new String(stored, StandardCharsets.UTF_8));
    }

    @ResetHandler
    void reset() {
        trail.deleteAll();
    }
}
