package io.hotswap.rest.audit;

import io.hotswap.api.audit.AuditPage;
import io.hotswap.api.audit.FindAuditEntriesQuery;
import io.hotswap.api.audit.SecurityViolationDetected;
import io.hotswap.rest.security.Caller;
import io.hotswap.rest.security.Role;
import io.hotswap.rest.security.TenantGuard;
import io.hotswap.rest.web.Paging;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail: every event, filterable; tenant admins see their own tenant's entries only. */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {

    private final QueryGateway queries;
    private final TenantGuard guard;

    public AuditController(QueryGateway queries, TenantGuard guard) {
        this.queries = queries;
        this.guard = guard;
    }

    @GetMapping
    AuditPage entries(@RequestParam(required = false) String tenantId,
                             @RequestParam(required = false) String eventType,
                             @RequestParam(required = false) String aggregateId,
                             @RequestParam(required = false) String principal,
                             @RequestParam(required = false) Integer page,
                             @RequestParam(required = false) Integer size,
                             Authentication authentication) {
        Caller caller = Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        return find(new FindAuditEntriesQuery(guard.scope(caller, tenantId), eventType, aggregateId, principal,
                Paging.of(page, size)));
    }

    @GetMapping("/security-violations")
    AuditPage securityViolations(@RequestParam(required = false) Integer page,
                                        @RequestParam(required = false) Integer size,
                                        Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        return find(new FindAuditEntriesQuery(null, SecurityViolationDetected.class.getSimpleName(), null, null,
                Paging.of(page, size)));
    }

    private AuditPage find(FindAuditEntriesQuery query) {
        return queries.query(query, AuditPage.class).join();
    }
}
