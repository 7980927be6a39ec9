package io.hotswap.rest.web;

import io.hotswap.api.error.ConflictException;
import io.hotswap.api.error.DomainException;
import io.hotswap.api.error.ForbiddenException;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.error.PayloadTooLargeException;
import io.hotswap.api.error.StorageUnavailableException;
import io.hotswap.api.error.UnsupportedMediaTypeException;

/** The HTTP status of each kind of refusal: the public language names refusals, only the REST layer knows HTTP. */
final class RefusalStatus {

    private RefusalStatus() {
    }

    static int of(DomainException refusal) {
        if (refusal instanceof InvalidInputException) return 400;
        if (refusal instanceof ForbiddenException) return 403;
        if (refusal instanceof NotFoundException) return 404;
        if (refusal instanceof ConflictException) return 409;
        if (refusal instanceof PayloadTooLargeException) return 413;
        if (refusal instanceof UnsupportedMediaTypeException) return 415;
        if (refusal instanceof StorageUnavailableException) return 503;
        throw new IllegalArgumentException("no HTTP status for " + refusal.getClass().getName());
    }
}
