package io.hotswap.api.error;

import java.util.Map;

/** The request is well-formed but clashes with what exists (a duplicate id, an active deployment, a quota). */
public final class ConflictException extends DomainException {

    private final String problemType;

    public ConflictException(String problemType, String message) {
        this(problemType, message, Map.of());
    }

    public ConflictException(String problemType, String message, Map<String, Object> details) {
        super(message, details);
        this.problemType = problemType;
    }

    @Override
    public String problemType() {
        return problemType;
    }
}
