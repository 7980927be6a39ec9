package io.hotswap.api.tenant;

import java.util.List;

/**
 * One page of a listing, the total count and the cursor to the next page (null on the last). A concrete type, because
 * Axon matches query results by class.
 */
public record TenantPage(List<TenantView> items, int page, int size, long total, String next) {
}
