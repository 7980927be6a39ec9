package io.hotswap.rest.audit;

import io.hotswap.api.audit.AuditEventFilter;
import io.hotswap.rest.security.Caller;
import io.hotswap.rest.security.Role;
import io.hotswap.rest.security.TenantGuard;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * Audit replay: the stored events themselves as NDJSON, in store order, resumable with {@code after=<position>} of
 * the last line seen. Platform admins see every event; tenant admins see their own tenant's only.
 */
@RestController
@RequestMapping("/api/v1/audit/events")
public class AuditEventController {

    public static final String NDJSON = "application/x-ndjson";
    private static final Logger log = LoggerFactory.getLogger(AuditEventController.class);

    private final AuditEvents events;
    private final TenantGuard guard;

    public AuditEventController(AuditEvents events, TenantGuard guard) {
        this.events = events;
        this.guard = guard;
    }

    @GetMapping
    void events(@RequestParam(required = false) String tenantId, @RequestParam(required = false) String aggregateId,
                @RequestParam(required = false) String eventType, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, @RequestParam(required = false) String after,
                @RequestParam(required = false) String limit, Authentication authentication,
                HttpServletResponse response) throws IOException {
        Caller caller = Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        AuditEventFilter filter = AuditEventFilter.parse(tenantId, aggregateId, eventType, from, to, after, limit);
        filter = filter.forTenant(guard.scope(caller, filter.tenantId()));
        response.setContentType(NDJSON);
        try {
            events.export(filter, response.getOutputStream());
        } catch (IOException clientGone) {
            // the client stopped reading; it resumes with after=<the last position it got>
            log.debug("Audit export ended early: {}", clientGone.toString());
        } catch (RuntimeException failure) {
            // before the first line, the failure is still answered as a problem (a 503 when the database is away);
            // after it, the connection is cut (ProblemResponses), so the client cannot take the lines for all of them
            if (!response.isCommitted()) response.setContentType(null);
            throw failure;
        }
    }
}
