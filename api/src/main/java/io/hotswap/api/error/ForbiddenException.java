package io.hotswap.api.error;

import java.util.Map;

public class ForbiddenException extends DomainException {

    public ForbiddenException(String message) {
        super(message, Map.of());
    }

    @Override
    public int status() {
        return 403;
    }

    @Override
    public String problemType() {
        return "forbidden";
    }
}
