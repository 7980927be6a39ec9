package io.hotswap.rest.projection;

import io.hotswap.api.page.PageRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The read models built from the event store, which can be rebuilt by replaying it, and the policies that react to
 * events; both park an event they cannot handle as a dead letter until it is retried.
 */
public interface Projections {

    /**
     * Where one projection stands when asked: the store position it has reached, the store's head, and whether it is
     * still replaying (a replay that has reached the head is over, whether or not a new event has come since).
     * {@code progress} is the share of the store handled, in percent: 100 when it has caught up. {@code speed}, while
     * a replay runs and has moved since it was first seen, is how fast it goes and how long it needs yet.
     */
    record Status(String name, long position, long head, boolean replaying, double progress, ReplaySpeed speed,
                  DeadLetters deadLetters) {

        public static Status of(String name, long position, long head, boolean replayStarted, DeadLetters deadLetters) {
            return of(name, position, head, replayStarted, deadLetters, null, null);
        }

        /**
         * The rule in one place: behind the head counts as replaying only while a replay was started; its speed is
         * measured from {@code firstSeen}, where it stood when first seen replaying, to {@code now}.
         */
        public static Status of(String name, long position, long head, boolean replayStarted, DeadLetters deadLetters,
                                Sighting firstSeen, Instant now) {
            boolean caughtUp = position >= head;
            double progress = caughtUp || head < 0 ? 100.0
                    : Math.floor(1000.0 * Math.max(0, position + 1) / (head + 1)) / 10.0;
            boolean replaying = replayStarted && !caughtUp;
            return new Status(name, position, head, replaying, progress,
                    replaying ? ReplaySpeed.between(firstSeen, new Sighting(now, position), head) : null, deadLetters);
        }
    }

    /** Where a replay stood at a moment. */
    record Sighting(Instant at, long position) {
    }

    /** A replay's pace (store positions a second) and, at that pace, the whole seconds until it reaches the head. */
    record ReplaySpeed(double eventsPerSecond, long secondsLeft) {

        /** Null until the replay has moved between the two sightings. */
        static ReplaySpeed between(Sighting first, Sighting now, long head) {
            if (first == null || now.at() == null || now.position() <= first.position()) return null;
            double seconds = Duration.between(first.at(), now.at()).toNanos() / 1e9;
            if (seconds <= 0) return null;
            double perSecond = (now.position() - first.position()) / seconds;
            return new ReplaySpeed(Math.round(perSecond * 10) / 10.0, (long) Math.ceil((head - now.position()) / perSecond));
        }
    }

    /** The events a projection has parked: how many, since when, and why the oldest one failed. */
    record DeadLetters(long count, Instant oldest, Cause cause) {

        public static final DeadLetters NONE = new DeadLetters(0, null, null);
    }

    /** What a handler threw: the exception's class and message. */
    record Cause(String type, String message) {
    }

    /**
     * One parked event, in the order it is to be handled again. {@code sequenceId} is its aggregate (the events of one
     * aggregate are handled in order, so a later one waits behind a parked one, with no cause of its own);
     * {@code globalPosition} is its place in the event store, when known; {@code retries} counts the failed retries.
     */
    record DeadLetter(String sequenceId, long sequenceIndex, String eventId, String eventType, String aggregateId,
                      Long globalPosition, Cause cause, Instant enqueuedAt, Instant lastTouched, int retries) {
    }

    /** One page of a projection's dead letters, the total count and the cursor to the next page (null on the last). */
    record DeadLetterPage(List<DeadLetter> items, int page, int size, long total, String next) {

        /** The name of this listing in its cursors; their one filter is {@code projection}. */
        public static final String LISTING = "dead-letters";
    }

    /** What a retry did: how many parked events were handled, and how many are still parked. */
    record Retry(String name, long handled, long stillParked) {
    }

    List<Status> list();

    /** @throws io.hotswap.api.error.NotFoundException when there is no projection of that name */
    Status status(String name);

    /**
     * Clears the projection's tables and its dead letters, and rebuilds them from the first event.
     *
     * @throws io.hotswap.api.error.NotFoundException when there is no projection of that name
     * @throws io.hotswap.api.error.ConflictException for a policy, which must never handle an old event twice
     */
    Status replay(String name);

    /** @throws io.hotswap.api.error.NotFoundException when there is no projection of that name */
    DeadLetterPage deadLetters(String name, PageRequest page);

    /**
     * Hands every parked sequence to the projection's handlers again, oldest first; a sequence that fails again stays
     * parked behind the event that failed.
     *
     * @throws io.hotswap.api.error.NotFoundException when there is no projection of that name
     */
    Retry retryDeadLetters(String name);
}
