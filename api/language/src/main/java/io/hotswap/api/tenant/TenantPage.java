package io.hotswap.api.tenant;

import java.util.List;

/** One page of a listing and the total count. A concrete type, because Axon matches query results by class. */
public record TenantPage(List<TenantView> items, int page, int size, long total) {
}
