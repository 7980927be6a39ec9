package io.hotswap.rest.audit;

import io.hotswap.api.audit.AuditPage;
import io.hotswap.api.audit.FindAuditEntriesQuery;
import io.hotswap.api.audit.SecurityViolationDetected;
import io.hotswap.api.error.Input;
import io.hotswap.api.page.PageCursor;
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

import java.time.Instant;

/** The audit trail: every event, filterable; tenant admins see their own tenant's entries only. */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {

    private final QueryGateway queries;
    private final TenantGuard guard;
    private final Paging paging;

    public AuditController(QueryGateway queries, TenantGuard guard, Paging paging) {
        this.queries = queries;
        this.guard = guard;
        this.paging = paging;
    }

    @GetMapping
    AuditPage entries(@RequestParam(required = false) String tenantId,
                      @RequestParam(required = false) String eventType,
                      @RequestParam(required = false) String aggregateId,
                      @RequestParam(required = false) String principal,
                      @RequestParam(required = false) String from,
                      @RequestParam(required = false) String to,
                      @RequestParam(required = false) Integer page,
                      @RequestParam(required = false) Integer size,
                      @RequestParam(required = false) String after,
                      Authentication authentication) {
        Caller caller = Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        Input input = new Input();
        Instant fromInstant = input.instant("from", from);
        Instant toInstant = input.instant("to", to);
        if (fromInstant != null && toInstant != null && fromInstant.isAfter(toInstant)) {
            input.reject("from", "is after 'to'");
        }
        input.check();
        return find(caller, paging.read(FindAuditEntriesQuery.LISTING, PageCursor.filters("tenantId", tenantId,
                "eventType", eventType, "aggregateId", aggregateId, "principal", principal,
                "from", text(fromInstant), "to", text(toInstant)), page, size, after));
    }

    @GetMapping("/security-violations")
    AuditPage securityViolations(@RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size,
                                 @RequestParam(required = false) String after,
                                 Authentication authentication) {
        Caller caller = Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        return find(caller, paging.read(FindAuditEntriesQuery.LISTING,
                PageCursor.filters("eventType", SecurityViolationDetected.class.getSimpleName()), page, size, after));
    }

    /** The listing's filters come from the request or its cursor; the tenant scope always from the caller. */
    private AuditPage find(Caller caller, Paging.Listing listing) {
        String from = listing.filter("from");
        String to = listing.filter("to");
        return queries.query(new FindAuditEntriesQuery(guard.scope(caller, listing.filter("tenantId")),
                listing.filter("eventType"), listing.filter("aggregateId"), listing.filter("principal"),
                from == null ? null : Instant.parse(from), to == null ? null : Instant.parse(to), listing.page()),
                AuditPage.class).join();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
