package io.hotswap.ops.deployment;

import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentEventStream;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.error.ConflictException;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Follows a deployment in the event store: its history first, then the live tail. The tail is opened before the
 * history is read, so no event falls between the two; sequence numbers drop the ones seen twice.
 */
@Component
class AxonDeploymentEventStream implements DeploymentEventStream, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AxonDeploymentEventStream.class);
    private static final int MAX_STREAMS = 200;
    private static final long IDLE_SECONDS = 15;

    private final EventStore events;
    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "deployment-event-stream");
        thread.setDaemon(true);
        return thread;
    });

    AxonDeploymentEventStream(EventStore events) {
        this.events = events;
    }

    @Override
    public void follow(String deploymentId, long afterSequence, Listener listener) {
        if (!slots.tryAcquire()) {
            throw new ConflictException("too-many-streams", "The server follows " + MAX_STREAMS
                    + " deployments already; try again shortly, or poll GET /plugin-deployments/" + deploymentId);
        }
        threads.execute(() -> {
            Throwable failure = null;
            try {
                stream(deploymentId, afterSequence, listener);
            } catch (Exception e) {
                log.warn("Following deployment {} failed", deploymentId, e);
                failure = e;
            } finally {
                slots.release();
                listener.closed(failure);
            }
        });
    }

    private void stream(String deploymentId, long afterSequence, Listener listener) throws InterruptedException {
        TrackingToken head = events.createHeadToken();
        long last = afterSequence;
        DomainEventStream history = events.readEvents(deploymentId);
        while (history.hasNext()) {
            DomainEventMessage<?> event = history.next();
            if (event.getSequenceNumber() <= last) continue;
            last = event.getSequenceNumber();
            if (!listener.on(toEvent(event)) || isEnd(event)) return;
        }
        try (BlockingStream<TrackedEventMessage<?>> tail = events.openStream(head)) {
            while (!Thread.currentThread().isInterrupted()) {
                if (!tail.hasNextAvailable((int) IDLE_SECONDS, TimeUnit.SECONDS)) {
                    if (!listener.idle()) return;
                    continue;
                }
                if (tail.nextAvailable() instanceof DomainEventMessage<?> event
                        && event.getAggregateIdentifier().equals(deploymentId) && event.getSequenceNumber() > last) {
                    last = event.getSequenceNumber();
                    if (!listener.on(toEvent(event)) || isEnd(event)) return;
                }
            }
        }
    }

    private static DeploymentEvent toEvent(DomainEventMessage<?> event) {
        return new DeploymentEvent(event.getSequenceNumber(), event.getPayloadType().getSimpleName(),
                event.getTimestamp(), event.getPayload());
    }

    private static boolean isEnd(DomainEventMessage<?> event) {
        Object payload = event.getPayload();
        return payload instanceof DeploymentCompleted || payload instanceof DeploymentRolledBack
                || payload instanceof DeploymentFailed;
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }
}
