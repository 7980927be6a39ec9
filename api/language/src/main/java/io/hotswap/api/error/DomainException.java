package io.hotswap.api.error;

import java.util.Map;

/**
 * A refusal the client can act on. Each subclass names one problem type; {@code details} become extra members of
 * the problem+json body (the numbers behind a quota refusal, the id of the deployment in the way, ...). Refusals know
 * no HTTP: the REST layer gives each kind its status.
 */
public abstract sealed class DomainException extends RuntimeException
        permits ConflictException, ForbiddenException, InvalidInputException, NotFoundException,
        PayloadTooLargeException, StorageUnavailableException, UnsupportedMediaTypeException {

    private final Map<String, Object> details;

    protected DomainException(String message, Map<String, Object> details) {
        super(message);
        this.details = Map.copyOf(details);
    }

    /** Short kebab-case name of the problem type, e.g. {@code quota-exceeded}. */
    public abstract String problemType();

    public Map<String, Object> details() {
        return details;
    }
}
