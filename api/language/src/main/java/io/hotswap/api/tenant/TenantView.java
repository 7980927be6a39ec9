package io.hotswap.api.tenant;

import java.time.Instant;

public record TenantView(String tenantId, String name, String namespace, TenantStatus status, TenantQuotas quotas,
                         TenantUsage usage, Instant createdAt) {
}
