package io.hotswap.rest.web;

import io.hotswap.api.error.ConflictException;
import io.hotswap.api.error.DomainException;
import io.hotswap.api.error.ForbiddenException;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.error.PayloadTooLargeException;
import io.hotswap.api.error.StorageUnavailableException;
import io.hotswap.api.error.UnsupportedMediaTypeException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalStatusTest {

    private static final Map<DomainException, Integer> STATUS_OF_EACH_KIND = Map.of(
            new InvalidInputException("name", "must not be blank"), 400,
            new ForbiddenException("not your tenant"), 403,
            new NotFoundException("tenant", "tenant-x"), 404,
            new ConflictException("quota-exceeded", "over quota"), 409,
            new PayloadTooLargeException("binary", 10), 413,
            new UnsupportedMediaTypeException("text/plain", "application/json"), 415,
            new StorageUnavailableException(new IOException("down")), 503);

    @Test
    void everyKindOfRefusalHasItsStatus() {
        STATUS_OF_EACH_KIND.forEach((refusal, status) ->
                assertThat(RefusalStatus.of(refusal)).as(refusal.getClass().getSimpleName()).isEqualTo(status));
    }

    /** A new kind of refusal must be given its status here before it can reach a client. */
    @Test
    void noKindOfRefusalIsLeftWithoutAStatus() {
        assertThat(STATUS_OF_EACH_KIND.keySet()).extracting(Object::getClass)
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(DomainException.class.getPermittedSubclasses()));
    }
}
