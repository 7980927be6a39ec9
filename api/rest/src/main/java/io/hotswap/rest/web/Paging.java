package io.hotswap.rest.web;

import io.hotswap.api.error.Input;
import io.hotswap.api.page.PageRequest;

/** Turns {@code page} and {@code size} query parameters into a {@link PageRequest}, refusing nonsense. */
public final class Paging {

    public static final int MAX_SIZE = 100;

    private Paging() {
    }

    public static PageRequest of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 20 : size;
        new Input().range("page", p, 0, 1_000_000).range("size", s, 1, MAX_SIZE).check();
        return new PageRequest(p, s);
    }
}
