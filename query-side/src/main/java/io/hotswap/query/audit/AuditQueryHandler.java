package io.hotswap.query.audit;

import io.hotswap.api.audit.AuditPage;
import io.hotswap.api.audit.FindAuditEntriesQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

@Component
public class AuditQueryHandler {

    private final AuditTrail trail;

    public AuditQueryHandler(AuditTrail trail) {
        this.trail = trail;
    }

    @QueryHandler
    public AuditPage handle(FindAuditEntriesQuery query) {
        return trail.find(query.tenantId(), query.eventType(), query.aggregateId(), query.principal(), query.page());
    }
}
