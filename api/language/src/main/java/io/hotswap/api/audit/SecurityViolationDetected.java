package io.hotswap.api.audit;

import org.axonframework.serialization.Revision;

/** A principal reached for a tenant it does not belong to. {@code tenantId} is the tenant it reached for. */
@Revision("1")
public record SecurityViolationDetected(String principal, String principalTenantId, String tenantId, String method,
                                        String path) {
}
