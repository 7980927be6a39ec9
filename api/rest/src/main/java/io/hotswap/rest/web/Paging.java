package io.hotswap.rest.web;

import io.hotswap.api.error.Input;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.page.PageCursor;
import io.hotswap.api.page.PageCursors;
import io.hotswap.api.page.PageRequest;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Objects;

/**
 * Turns {@code page}, {@code size} and {@code after} query parameters into a {@link PageRequest}, refusing nonsense.
 * {@code after} is the {@code next} cursor of the page before; it carries that listing's filters, so it alone leads
 * on. {@code page} (offset paging) is still taken, for clients written before cursors.
 */
@Component
public class Paging {

    public static final int MAX_SIZE = 100;

    private final PageCursors cursors;

    public Paging(PageCursors cursors) {
        this.cursors = cursors;
    }

    /** What a listing is asked for: its filters by query parameter name, and the page. */
    public record Listing(Map<String, String> filters, PageRequest page) {

        public String filter(String name) {
            return filters.get(name);
        }
    }

    /**
     * Without a cursor, the {@code given} filters (by query parameter name; see {@link PageCursor#filters}) and the
     * {@code page}-th page. With one, its filters: a filter given as well must say the same, as a cursor goes on with
     * the listing it came from.
     *
     * @throws InvalidInputException for a cursor that is not one of {@code listing}'s, altered, or paired with
     *                               {@code page} or other filters
     */
    public Listing read(String listing, Map<String, String> given, Integer page, Integer size, String after) {
        int s = size == null ? 20 : size;
        if (after == null) return new Listing(given, of(page, s));
        new Input().range("size", s, 1, MAX_SIZE).check();
        if (page != null) throw new InvalidInputException("page", "goes with offset paging, 'after' with cursors: give one of them");
        PageCursor cursor = cursors.read(after, listing);
        Map<String, String> filters = cursor.filters();
        Input input = new Input();
        given.forEach((name, value) -> {
            if (!Objects.equals(value, filters.get(name))) {
                input.reject(name, "is '" + value + "', but the cursor goes on " + (filters.containsKey(name)
                        ? "with '" + filters.get(name) + "'" : "without it") + ": leave it out when giving 'after'");
            }
        });
        input.check();
        return new Listing(filters, new PageRequest(cursor.page(), s, cursor.after()));
    }

    private static PageRequest of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 20 : size;
        new Input().range("page", p, 0, 1_000_000).range("size", s, 1, MAX_SIZE).check();
        return new PageRequest(p, s);
    }
}
