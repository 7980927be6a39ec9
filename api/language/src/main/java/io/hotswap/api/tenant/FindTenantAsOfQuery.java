package io.hotswap.api.tenant;

import java.time.Instant;

/** A tenant as {@link FindTenantQuery} would have answered at {@code asOf}; empty if it did not exist yet. */
public record FindTenantAsOfQuery(String tenantId, Instant asOf) {
}
