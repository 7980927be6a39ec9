package io.hotswap.rest.audit;

import io.hotswap.api.audit.AuditEventFilter;
import io.hotswap.api.audit.StoredEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** The stored events themselves, read from the event store (not from a read model), for audits. */
public interface AuditEvents {

    /**
     * What an export wrote: how many events, the position of the last one (null for none), and the store position it
     * read up to ({@code head}): resuming with {@code after=head} reads only what was stored since.
     */
    record Exported(long events, Long lastPosition, long head) {
    }

    /**
     * Writes the events the filter selects to {@code out} as NDJSON, one {@link StoredEvent} a line, in store order,
     * as it reads them (never the whole answer at once). It reads up to the store's head as it was at the start.
     */
    Exported export(AuditEventFilter filter, OutputStream out) throws IOException;

    /** One aggregate's events, in store order: a deployment's history. */
    List<StoredEvent> ofAggregate(String aggregateId);
}
