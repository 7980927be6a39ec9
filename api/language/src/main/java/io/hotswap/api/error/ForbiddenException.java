package io.hotswap.api.error;

import java.util.Map;

public final class ForbiddenException extends DomainException {

    public ForbiddenException(String message) {
        super(message, Map.of());
    }

    @Override
    public String problemType() {
        return "forbidden";
    }
}
