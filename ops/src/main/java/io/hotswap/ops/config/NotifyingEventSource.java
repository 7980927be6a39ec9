package io.hotswap.ops.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The event store as the source of a pooled streaming processor, with streams that call the processor back as soon as
 * new events can be read.
 * <p>
 * A {@code PooledStreamingEventProcessor} that has read everything asks its stream again only 500 ms later (a fixed
 * delay in Axon 4's {@code Coordinator}) unless the stream supports an availability callback, which only Axon
 * Server's streams do, not the {@code EmbeddedEventStore}'s. Every event thus waited 0 to 500 ms (250 ms on average)
 * before its processor even saw it. The streams opened here wait for new events on a thread of their own (the store
 * wakes them right after a local commit) while the processor has nothing to read, and then call it back.
 * <p>
 * Checked against Axon 4.13.0, whose {@code EmbeddedEventStore} streams still answer {@code false} to
 * {@code setOnAvailableCallback}: {@code NotifyingEventSourceTest} fails the day they stop, and this class can go.
 */
public class NotifyingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final StreamableMessageSource<TrackedEventMessage<?>> store;

    public NotifyingEventSource(StreamableMessageSource<TrackedEventMessage<?>> store) {
        this.store = store;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new NotifyingStream(store.openStream(trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return store.createTokenSince(duration);
    }

    /**
     * The store's stream is not made for two threads, so whoever uses it holds {@link #lock}. The processor's
     * coordinator only ever tries the lock for its "anything new?" check: while the watcher holds it, the answer is no,
     * and the watcher calls back once there is.
     */
    static final class NotifyingStream implements TrackingEventStream {

        private static final int WAIT_SLICE_MS = 1_000;

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private final ReentrantLock lock = new ReentrantLock();
        /** The reader found nothing new: the watcher waits for new events and then calls back. */
        private final AtomicBoolean armed = new AtomicBoolean();
        private final Semaphore wakeUp = new Semaphore(0);
        private volatile Runnable callback;
        private volatile boolean closed;
        private Thread watcher;

        NotifyingStream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized boolean setOnAvailableCallback(Runnable callback) {
            if (closed) return false;
            this.callback = callback;
            if (watcher == null) {
                watcher = new Thread(this::watch, "event-source-watcher");
                watcher.setDaemon(true);
                watcher.start();
            }
            return true;
        }

        @Override
        public boolean hasNextAvailable() {
            if (!lock.tryLock()) return false; // the watcher is waiting for new events and will call back
            boolean available;
            try {
                available = delegate.hasNextAvailable();
            } finally {
                lock.unlock();
            }
            if (!available && callback != null && armed.compareAndSet(false, true)) wakeUp.release();
            return available;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                return delegate.hasNextAvailable(timeout, unit);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            if (!lock.tryLock()) return Optional.empty(); // as hasNextAvailable(): the watcher calls back
            try {
                return delegate.peek();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            lock.lockInterruptibly();
            try {
                return delegate.nextAvailable();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            // only a hint (the store's own stream ignores it): never wait for the watcher, which holds the lock until
            // the next event arrives, with the message just read still unhandled
            if (!lock.tryLock()) return;
            try {
                delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            Thread running;
            synchronized (this) {
                closed = true;
                running = watcher;
            }
            if (running != null) running.interrupt();
            lock.lock();
            try {
                delegate.close();
            } finally {
                lock.unlock();
            }
        }

        private void watch() {
            try {
                while (!closed) {
                    wakeUp.acquire();
                    lock.lockInterruptibly();
                    try {
                        while (!closed && !delegate.hasNextAvailable(WAIT_SLICE_MS, TimeUnit.MILLISECONDS)) {
                            // nothing yet: wait on
                        }
                    } catch (RuntimeException e) {
                        // the processor's own read meets the failure again and handles it: call it back
                    } finally {
                        armed.set(false);
                        lock.unlock();
                    }
                    if (!closed) {
                        try {
                            callback.run();
                        } catch (RuntimeException e) {
                            // the processor is shutting down; its next read, if any, arms the watcher again
                        }
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        }
    }
}
