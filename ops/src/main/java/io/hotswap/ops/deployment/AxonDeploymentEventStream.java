package io.hotswap.ops.deployment;

import io.hotswap.api.deployment.DeploymentCompleted;
import io.hotswap.api.deployment.DeploymentFailed;
import io.hotswap.api.deployment.DeploymentRolledBack;
import io.hotswap.api.deployment.DeploymentStageAdvanced;
import io.hotswap.api.error.ConflictException;
import io.hotswap.rest.deployment.DeploymentEventStream;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows a deployment in the event store: its history first, then the live tail. The tail is opened before the
 * history is read, so no event falls between the two; sequence numbers drop the ones seen twice.
 * <p>
 * Streams end first when the server stops (this lifecycle's phase is above the web server's graceful shutdown), so
 * open clients do not hold the shutdown for its 30 s while deployments go on; they reconnect with Last-Event-ID.
 */
@Component
class AxonDeploymentEventStream implements DeploymentEventStream, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AxonDeploymentEventStream.class);
    private static final int MAX_STREAMS = 200;
    private static final long IDLE_SECONDS = 15;

    private final EventStore events;
    private volatile boolean running;
    /** How each open stream ends its response; stop() ends them all, whatever their threads are doing. */
    private final Set<Runnable> openStreams = ConcurrentHashMap.newKeySet();
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
        if (!running) {
            throw new ConflictException("server-stopping", "The server is stopping; follow deployment " + deploymentId
                    + " again in a moment (with Last-Event-ID), another instance will answer");
        }
        if (!slots.tryAcquire()) {
            throw new ConflictException("too-many-streams", "The server follows " + MAX_STREAMS
                    + " deployments already; try again shortly, or poll GET /plugin-deployments/" + deploymentId);
        }
        AtomicBoolean ended = new AtomicBoolean();
        Runnable endNormally = () -> {
            if (ended.compareAndSet(false, true)) listener.closed(null);
        };
        openStreams.add(endNormally);
        threads.execute(() -> {
            Throwable failure = null;
            try {
                stream(deploymentId, afterSequence, listener);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt(); // the server stops: end the stream normally
            } catch (Exception e) {
                log.warn("Following deployment {} failed", deploymentId, e);
                failure = e;
            } finally {
                slots.release();
                openStreams.remove(endNormally);
                if (ended.compareAndSet(false, true)) listener.closed(failure);
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
        Object payload = event.getPayload();
        // stages count from 1 wherever a person reads them, as the deployment's currentStage does; the event's own
        // (public, on Kafka) counts from 0
        if (payload instanceof DeploymentStageAdvanced advanced) {
            payload = new DeploymentStageAdvanced(advanced.deploymentId(), advanced.tenantId(), advanced.stage() + 1,
                    advanced.percentage(), advanced.desiredInstances());
        }
        return new DeploymentEvent(event.getSequenceNumber(), event.getPayloadType().getSimpleName(),
                event.getTimestamp(), payload);
    }

    private static boolean isEnd(DomainEventMessage<?> event) {
        Object payload = event.getPayload();
        return payload instanceof DeploymentCompleted || payload instanceof DeploymentRolledBack
                || payload instanceof DeploymentFailed;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every open stream: each client gets the end of its response and may reconnect elsewhere. */
    @Override
    public void stop() {
        running = false;
        // ends each response at once: a thread waiting in the event store may notice its interrupt only later
        openStreams.forEach(Runnable::run);
        threads.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE; // stops before the web server's graceful shutdown (DEFAULT_PHASE - 1024)
    }
}
