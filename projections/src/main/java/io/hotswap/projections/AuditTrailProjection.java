package io.hotswap.projections;

import io.hotswap.api.audit.ActorMetaData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.api.audit.AuditEntry;
import io.hotswap.api.audit.EventTenant;
import io.hotswap.query.audit.AuditTrail;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.stereotype.Component;

/**
 * Writes every event of the store into the audit trail: who (principal), what (event type and payload), when,
 * for which tenant, under which correlation id. Security violations are events too, so they land here as well.
 */
@Component
@ProcessingGroup("audit-trail")
public class AuditTrailProjection {

    private final AuditTrail trail;
    private final ObjectMapper mapper;

    public AuditTrailProjection(AuditTrail trail, ObjectMapper mapper) {
        this.trail = trail;
        this.mapper = mapper;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> event, TrackingToken token) {
        JsonNode json = mapper.valueToTree(payload);
        String aggregateId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        trail.record(new AuditEntry(token.position().orElse(-1), event.getIdentifier(),
                        payload.getClass().getSimpleName(), aggregateId, EventTenant.of(json),
                        (String) event.getMetaData().get(ActorMetaData.PRINCIPAL),
                        (String) event.getMetaData().get(ActorMetaData.CORRELATION_ID),
                        event.getTimestamp(), json));
    }

    @ResetHandler
    void reset() {
        trail.deleteAll();
    }
}
