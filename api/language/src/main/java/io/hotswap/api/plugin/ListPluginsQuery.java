package io.hotswap.api.plugin;

import io.hotswap.api.page.PageRequest;

/** {@code search} matches plugin id or name, case-insensitively; null matches all. */
public record ListPluginsQuery(String search, PageRequest page) {
}
