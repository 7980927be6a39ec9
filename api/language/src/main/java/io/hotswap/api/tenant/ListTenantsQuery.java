package io.hotswap.api.tenant;

import io.hotswap.api.page.PageRequest;

public record ListTenantsQuery(PageRequest page) {
}
