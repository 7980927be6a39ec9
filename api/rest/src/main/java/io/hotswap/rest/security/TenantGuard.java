package io.hotswap.rest.security;

import io.hotswap.api.audit.ActorMetaData;
import io.hotswap.api.audit.SecurityViolationDetected;
import io.hotswap.api.error.ForbiddenException;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Keeps tenant principals inside their own tenant. A reach across is refused with 403, recorded as a
 * {@link SecurityViolationDetected} event and logged with the marker {@code SECURITY_VIOLATION} that alerting
 * greps for.
 */
@Component
public class TenantGuard {

    private static final Logger log = LoggerFactory.getLogger(TenantGuard.class);

    private final EventGateway events;
    private final HttpServletRequest request;

    public TenantGuard(EventGateway events, HttpServletRequest request) {
        this.events = events;
        this.request = request;
    }

    /** @throws ForbiddenException when a tenant principal reaches for {@code tenantId} that is not its own */
    public void requireAccess(Caller caller, String tenantId) {
        if (caller.isPlatformAdmin() || tenantId.equals(caller.tenantId())) return;
        log.warn("SECURITY_VIOLATION principal={} principalTenant={} targetTenant={} method={} path={}",
                caller.subject(), caller.tenantId(), tenantId, request.getMethod(), request.getRequestURI());
        events.publish(GenericEventMessage.asEventMessage(new SecurityViolationDetected(caller.subject(),
                        caller.tenantId(), tenantId, request.getMethod(), request.getRequestURI()))
                .andMetaData(MetaData.with(ActorMetaData.PRINCIPAL, caller.subject())
                        .and(ActorMetaData.CORRELATION_ID, MDC.get(ActorMetaData.CORRELATION_ID))));
        throw new ForbiddenException("'" + caller.subject() + "' belongs to tenant '" + caller.tenantId()
                + "' and may not access tenant '" + tenantId + "'; this attempt was recorded");
    }

    /** The tenant a listing is limited to: the caller's own for tenant principals, the requested one for admins. */
    public String scope(Caller caller, String requestedTenantId) {
        if (caller.isPlatformAdmin()) return requestedTenantId;
        if (requestedTenantId != null) requireAccess(caller, requestedTenantId);
        if (caller.tenantId() == null) {
            throw new ForbiddenException("The token of '" + caller.subject() + "' names no tenant (claim tenant_id)");
        }
        return caller.tenantId();
    }
}
