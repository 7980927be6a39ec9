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

/**
 * Writes every event of the store into the audit trail: who (principal), what (event type and payload), when,
 * for which tenant, under which correlation id. Security violations are events too, so they land here as well.
 * <p>
 * The payload is taken as stored (Axon's JSON), never deserialised: turning it into the event's class and back into
 * a tree took about a quarter of the processor's CPU in a profile of the trail's replay (ReplayBenchmark). Both give
 * the same rows: the events are written by the same classes with the same Jackson settings.
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
        JsonNode json = event.serializePayload(serializer, JsonNode.class).getData();
        String aggregateId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        trail.record(new AuditEntry(token.position().orElse(-1), event.getIdentifier(),
                        event.getPayloadType().getSimpleName(), aggregateId, EventTenant.of(json),
                        (String) event.getMetaData().get(ActorMetaData.PRINCIPAL),
                        (String) event.getMetaData().get(ActorMetaData.CORRELATION_ID),
                        event.getTimestamp(), json));
    }

    @ResetHandler
    void reset() {
        trail.deleteAll();
    }
}
