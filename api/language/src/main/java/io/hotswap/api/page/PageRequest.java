package io.hotswap.api.page;

import java.util.List;

/**
 * A page of a listing: the {@code size} entries after {@code after}, the sort key of the last entry the page before
 * showed (keyset paging, as fast deep in as at the start), or without it the {@code page}-th (zero-based) page of
 * {@code size} (offset paging, which reads past every entry before the page). With {@code after}, {@code page} only
 * numbers the page. {@code size} is capped by the REST layer.
 */
public record PageRequest(int page, int size, List<String> after) {

    public PageRequest {
        after = after == null ? null : List.copyOf(after);
    }

    public PageRequest(int page, int size) {
        this(page, size, null);
    }

    public long offset() {
        return after == null ? (long) page * size : 0;
    }

    /** The rows to read: one past the page, which tells whether another page follows. */
    public int limit() {
        return size + 1;
    }

    /** The rows of {@code read} this page shows: all but the one read past it. */
    public <T> List<T> shown(List<T> read) {
        return read.size() > size ? read.subList(0, size) : read;
    }
}
