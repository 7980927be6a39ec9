package io.hotswap.api.error;

import java.util.Map;

public final class NotFoundException extends DomainException {

    public NotFoundException(String what, String id) {
        super(what + " '" + id + "' does not exist", Map.of());
    }

    @Override
    public String problemType() {
        return "not-found";
    }
}
