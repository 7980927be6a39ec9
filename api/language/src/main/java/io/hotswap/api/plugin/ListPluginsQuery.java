package io.hotswap.api.plugin;

import io.hotswap.api.page.PageCursor;
import io.hotswap.api.page.PageRequest;

import java.util.Map;

/** By plugin id; {@code search} matches plugin id or name, case-insensitively; null matches all. */
public record ListPluginsQuery(String search, PageRequest page) {

    /** The name of this listing in its cursors. */
    public static final String LISTING = "plugins";

    /** The filters by their query parameter names, as a cursor carries them. */
    public Map<String, String> filters() {
        return PageCursor.filters("search", search);
    }
}
