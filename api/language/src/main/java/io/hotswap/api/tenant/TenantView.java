package io.hotswap.api.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** A tenant as {@code GET /tenants/{id}} shows it; {@code statusReason} says why it is not Active, and only then. */
public record TenantView(String tenantId, String name, String namespace, TenantStatus status, TenantQuotas quotas,
                         TenantUsage usage, Instant createdAt,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String statusReason) {
}
