package io.hotswap.api.plugin;

import io.hotswap.api.web.PageRequest;

/** {@code search} matches plugin id or name, case-insensitively; null matches all. */
public record ListPluginsQuery(String search, PageRequest page) {
}
