package io.hotswap.api.tenant;

import io.hotswap.api.page.PageRequest;

/** By tenant id. */
public record ListTenantsQuery(PageRequest page) {

    /** The name of this listing in its cursors. */
    public static final String LISTING = "tenants";
}
