package io.hotswap.rest.projection;

import io.hotswap.api.error.NotFoundException;
import java.util.List;

/** The read models built from the event store, which can be rebuilt by replaying it. */
public interface Projections {

    /**
     * Where one projection stands when asked: the store position it has reached, the store's head, and whether it is
     * still replaying (a replay that has reached the head is over, whether or not a new event has come since).
     * {@code progress} is the share of the store handled, in percent: 100 when it has caught up.
     */
    record Status(String name, long position, long head, boolean replaying, double progress) {

        /** The rule in one place: behind the head counts as replaying only while a replay was started. */
        public static Status of(String name, long position, long head, boolean replayStarted) {
            boolean caughtUp = position >= head;
            double progress = caughtUp || head < 0 ? 100.0
                    : Math.floor(1000.0 * Math.max(0, position + 1) / (head + 1)) / 10.0;
            return new Status(name, position, head, replayStarted && !caughtUp, progress);
        }
    }

    List<Status> list();

    /** @throws io.hotswap.api.error.NotFoundException when there is no projection of that name */
    Status status(String name);

    /**
     * Clears the projection's tables and rebuilds them from the first event.
     *
     * @throws io.hotswap.api.error.NotFoundException when there is no projection of that name
     */
    Status replay(String name);
}
