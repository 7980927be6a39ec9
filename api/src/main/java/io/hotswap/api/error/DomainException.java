package io.hotswap.api.error;

import java.util.Map;

/**
 * A refusal the client can act on. Each subclass names one problem type; {@code details} become extra members of
 * the problem+json body (the numbers behind a quota refusal, the id of the deployment in the way, ...).
 */
public abstract class DomainException extends RuntimeException {

    private final Map<String, Object> details;

    protected DomainException(String message, Map<String, Object> details) {
        super(message);
        this.details = Map.copyOf(details);
    }

    /** The HTTP status this refusal maps to. */
    public abstract int status();

    /** Short kebab-case name of the problem type, e.g. {@code quota-exceeded}. */
    public abstract String problemType();

    public Map<String, Object> details() {
        return details;
    }
}
