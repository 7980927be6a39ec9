package io.hotswap.api.page;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a cursor says: the listing it belongs to, the filters that listing was asked with (by query parameter name),
 * the sort key of the last entry shown, and the number of the page it leads to.
 */
public record PageCursor(String listing, Map<String, String> filters, List<String> after, int page) {

    public PageCursor {
        filters = filters == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(filters));
        after = after == null ? List.of() : List.copyOf(after);
    }

    /** The filters given as name, value, name, value ...; the ones without a value are left out. */
    public static Map<String, String> filters(String... namesAndValues) {
        Map<String, String> filters = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) filters.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return filters;
    }
}
