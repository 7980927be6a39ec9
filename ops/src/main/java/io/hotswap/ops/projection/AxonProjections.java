package io.hotswap.ops.projection;

import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.projection.Projections;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;

/**
 * Replays a projection's processor from the start of the event store. Only read models are listed: the
 * tenant-quota policy sends commands and must never see old events twice.
 */
@Component
class AxonProjections implements Projections {

    private static final Set<String> READ_MODELS = Set.of("tenant-view", "plugin-catalogue", "deployment-view", "audit-trail");

    private final EventProcessingConfiguration processing;

    AxonProjections(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @Override
    public List<Status> list() {
        return READ_MODELS.stream().sorted().map(name -> status(name, processor(name))).toList();
    }

    @Override
    public Status replay(String name) {
        StreamingEventProcessor processor = processor(name);
        processor.shutDown();
        processor.resetTokens(); // calls the projection's @ResetHandler, which clears its tables
        processor.start();
        return status(name, processor);
    }

    private StreamingEventProcessor processor(String name) {
        if (!READ_MODELS.contains(name)) throw new NotFoundException("Projection", name);
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new NotFoundException("Projection", name));
    }

    private static Status status(String name, StreamingEventProcessor processor) {
        var segments = processor.processingStatus().values();
        long position = segments.stream().mapToLong(s -> s.getCurrentPosition().orElse(-1)).min().orElse(-1);
        return new Status(name, position, segments.stream().anyMatch(EventTrackerStatus::isReplaying));
    }
}
