package io.hotswap.api.page;

/** A zero-based page of a listing; {@code size} is capped by the REST layer. */
public record PageRequest(int page, int size) {

    public long offset() {
        return (long) page * size;
    }
}
