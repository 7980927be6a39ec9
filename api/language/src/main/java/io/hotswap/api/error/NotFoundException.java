package io.hotswap.api.error;

import java.time.Instant;
import java.util.Map;

public final class NotFoundException extends DomainException {

    public NotFoundException(String what, String id) {
        this(what + " '" + id + "' does not exist");
    }

    /** Asked for as it was at {@code asOf}, before its first event. */
    public static NotFoundException notYetAt(String what, String id, Instant asOf) {
        return new NotFoundException(what + " '" + id + "' did not exist yet at " + asOf);
    }

    private NotFoundException(String message) {
        super(message, Map.of());
    }

    @Override
    public String problemType() {
        return "not-found";
    }
}
