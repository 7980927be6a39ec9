package io.hotswap.ops.projection;

import io.hotswap.api.error.ConflictException;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.page.PageRequest;
import io.hotswap.ops.config.DeadLetterConfig;
import io.hotswap.rest.projection.Projections;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processing groups that dead-letter ({@link DeadLetterConfig#GROUPS}): their positions, their dead letters, and
 * replays of the read models among them. The policies are listed too, so their dead letters show, but are never
 * replayed: the deployment queue sends commands and must never see old events twice.
 * <p>
 * Whether a replay is still running is decided here against the store's head: Axon (4.13) reports a segment as
 * replaying until it handles an event past the position it was reset at, so a replay that has caught up with a quiet
 * store would show as running until the next event, also across restarts (its ReplayToken is stored).
 */
@Component
class AxonProjections implements Projections {

    private final EventProcessingConfiguration processing;
    private final EventStore events;
    private final DeadLetterTable deadLetters;
    /** Where each running replay stood when this server first saw it (or started it): its speed is measured from there. */
    private final Map<String, Sighting> replaysSeen = new ConcurrentHashMap<>();

    AxonProjections(EventProcessingConfiguration processing, EventStore events, DeadLetterTable deadLetters) {
        this.processing = processing;
        this.events = events;
        this.deadLetters = deadLetters;
    }

    @Override
    public List<Status> list() {
        long head = head();
        Map<String, DeadLetters> parked = deadLetters.summaries();
        return DeadLetterConfig.GROUPS.stream().sorted().map(name -> status(name, processor(name), head, parked)).toList();
    }

    @Override
    public Status status(String name) {
        return status(name, processor(name), head(), deadLetters.summaries());
    }

    @Override
    public Status replay(String name) {
        StreamingEventProcessor processor = processor(name);
        if (!DeadLetterConfig.READ_MODELS.contains(name)) {
            throw new ConflictException("not-replayable", "'" + name + "' is a policy, not a read model: it acts on "
                    + "events (sends commands, counts), so it must never handle an old event twice. Only "
                    + DeadLetterConfig.READ_MODELS.stream().sorted().toList() + " can be rebuilt");
        }
        processor.shutDown();
        processor.resetTokens(); // clears the group's dead letters, and calls the projection's @ResetHandler
        processor.start();
        replaysSeen.put(name, new Sighting(Instant.now(), -1));
        // its segments are claimed a moment later: until then there is no position to report but the start's
        return Status.of(name, -1, head(), true, DeadLetters.NONE);
    }

    @Override
    public DeadLetterPage deadLetters(String name, PageRequest page) {
        processor(name);
        return deadLetters.page(name, page);
    }

    /**
     * One pass over the parked sequences: Axon takes the one touched longest ago each time, and a sequence that fails
     * again is touched, so as many turns as there were sequences try each of them once.
     */
    @Override
    public Retry retryDeadLetters(String name) {
        processor(name);
        SequencedDeadLetterQueue<EventMessage<?>> queue = processing.deadLetterQueue(name).orElseThrow();
        SequencedDeadLetterProcessor<EventMessage<?>> letters = processing.sequencedDeadLetterProcessor(name).orElseThrow();
        long before = queue.size();
        for (long turn = 0, sequences = queue.amountOfSequences(); turn < sequences; turn++) {
            letters.processAny();
        }
        long after = queue.size();
        return new Retry(name, Math.max(0, before - after), after);
    }

    private StreamingEventProcessor processor(String name) {
        if (!DeadLetterConfig.GROUPS.contains(name)) throw new NotFoundException("Projection", name);
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFoundException("Projection", name));
    }

    /** The global index of the newest stored event, -1 for an empty store. */
    private long head() {
        TrackingToken head = events.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    private Status status(String name, StreamingEventProcessor processor, long head, Map<String, DeadLetters> parked) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        long position = segments.stream().mapToLong(s -> s.getCurrentPosition().orElse(-1)).min().orElse(-1);
        Instant now = Instant.now();
        Status status = Status.of(name, position, head, segments.stream().anyMatch(EventTrackerStatus::isReplaying),
                parked.getOrDefault(name, DeadLetters.NONE), replaysSeen.computeIfAbsent(name, n -> new Sighting(now, position)), now);
        if (!status.replaying()) replaysSeen.remove(name);
        return status;
    }
}
