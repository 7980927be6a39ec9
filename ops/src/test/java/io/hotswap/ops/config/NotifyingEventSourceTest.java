package io.hotswap.ops.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Why {@link NotifyingEventSource} exists, and that it does its job. */
class NotifyingEventSourceTest {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    /** When this fails, Axon's own streams call the processor back, and NotifyingEventSource is no longer needed. */
    @Test
    void theStoresOwnStreamsStillCannotCallAProcessorBack() {
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            assertThat(stream.setOnAvailableCallback(() -> { })).isFalse();
        }
    }

    @Test
    void aStreamThatFoundNothingCallsBackWhenAnEventIsStoredAndThenReadsIt() throws Exception {
        NotifyingEventSource source = new NotifyingEventSource(store);
        CountDownLatch calledBack = new CountDownLatch(1);
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null)) {
            assertThat(stream.setOnAvailableCallback(calledBack::countDown)).isTrue();
            assertThat(stream.hasNextAvailable()).isFalse(); // nothing yet: the watcher waits for the next event

            store.publish(GenericEventMessage.asEventMessage("stored"));

            assertThat(calledBack.await(5, TimeUnit.SECONDS)).as("called back").isTrue();
            assertThat(stream.hasNextAvailable()).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("stored");
        }
    }
}
