package io.hotswap.ops.projection;

import io.hotswap.api.error.NotFoundException;
import io.hotswap.rest.projection.Projections;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Replays a projection's processor from the start of the event store. Only read models are listed: the
 * tenant-quota policy sends commands and must never see old events twice.
 * <p>
 * Whether a replay is still running is decided here against the store's head: Axon (4.13) reports a segment as
 * replaying until it handles an event past the position it was reset at, so a replay that has caught up with a quiet
 * store would show as running until the next event, also across restarts (its ReplayToken is stored).
 */
@Component
class AxonProjections implements Projections {

    private static final Set<String> READ_MODELS = Set.of("tenant-view", "plugin-catalogue", "deployment-view", "audit-trail");

    private final EventProcessingConfiguration processing;
    private final EventStore events;

    AxonProjections(EventProcessingConfiguration processing, EventStore events) {
        this.processing = processing;
        this.events = events;
    }

    @Override
    public List<Status> list() {
        long head = head();
        return READ_MODELS.stream().sorted().map(name -> status(name, processor(name), head)).toList();
    }

    @Override
    public Status status(String name) {
        return status(name, processor(name), head());
    }

    @Override
    public Status replay(String name) {
        StreamingEventProcessor processor = processor(name);
        processor.shutDown();
        processor.resetTokens(); // calls the projection's @ResetHandler, which clears its tables
        processor.start();
        // its segments are claimed a moment later: until then there is no position to report but the start's
        return Status.of(name, -1, head(), true);
    }

    private StreamingEventProcessor processor(String name) {
        if (!READ_MODELS.contains(name)) throw new NotFoundException("Projection", name);
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFoundException("Projection", name));
    }

    /** The global index of the newest stored event, -1 for an empty store. */
    private long head() {
        TrackingToken head = events.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    private static Status status(String name, StreamingEventProcessor processor, long head) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        long position = segments.stream().mapToLong(s -> s.getCurrentPosition().orElse(-1)).min().orElse(-1);
        return Status.of(name, position, head, segments.stream().anyMatch(EventTrackerStatus::isReplaying));
    }
}
