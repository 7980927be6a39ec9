package io.hotswap.api.error;

import java.util.Map;

/** The binary store did not answer: nothing was changed, and the same request may succeed in a few seconds. */
public final class StorageUnavailableException extends DomainException {

    public StorageUnavailableException(Throwable cause) {
        super("Binary storage is unavailable right now; nothing was changed. Try again in a few seconds", Map.of());
        initCause(cause);
    }

    @Override
    public String problemType() {
        return "storage-unavailable";
    }
}
