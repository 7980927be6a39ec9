package io.hotswap.api.error;

/** One wrong input: which field, what was wrong with it. */
public record FieldError(String field, String message) {
}
