package io.hotswap.projections.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.api.audit.EventTenant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Revision;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every stored event, in store order, on its own tracking processor. A batch's token moves on only once
 * the broker acknowledged all of the batch's sends, so when Kafka is down nothing is lost: the processor retries
 * from where it stopped, and consumers drop the repeats by event id.
 */
@ProcessingGroup(EventStreamPublisher.PROCESSING_GROUP)
public class EventStreamPublisher {

    public static final String PROCESSING_GROUP = "event-stream";
    private static final String PENDING = EventStreamPublisher.class.getName() + ".pending";
    private static final long ACK_TIMEOUT_SECONDS = 30;

    private final EventStream stream;
    private final ObjectMapper mapper;

    public EventStreamPublisher(EventStream stream, ObjectMapper mapper) {
        this.stream = stream;
        this.mapper = mapper;
    }

    @EventHandler
    @DisallowReplay
    void on(Object payload, EventMessage<?> event) {
        JsonNode json = mapper.valueToTree(payload);
        Revision revision = event.getPayloadType().getAnnotation(Revision.class);
        DomainEventMessage<?> domain = event instanceof DomainEventMessage<?> d ? d : null;
        EventEnvelope envelope = new EventEnvelope(event.getIdentifier(), event.getPayloadType().getSimpleName(),
                revision == null ? null : revision.value(), domain == null ? null : domain.getType(),
                domain == null ? null : domain.getAggregateIdentifier(),
                domain == null ? null : domain.getSequenceNumber(),
                EventTenant.of(json), event.getTimestamp(), json);
        pendingInThisBatch().add(stream.send(envelope));
    }

    private static void awaitAcknowledgements(List<CompletableFuture<?>> pending) {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge the batch; it will be sent again", e);
        }
    }

    /** The sends of the current batch, which must all be acknowledged before its token is stored. */
    private static List<CompletableFuture<?>> pendingInThisBatch() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING, key -> {
            List<CompletableFuture<?>> pending = new ArrayList<>();
            batch.onPrepareCommit(u -> awaitAcknowledgements(pending));
            return pending;
        });
    }
}
