package io.hotswap.api.tenant;

import io.hotswap.api.web.PageRequest;

public record ListTenantsQuery(PageRequest page) {
}
