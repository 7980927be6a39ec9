package io.hotswap.rest.deployment;

import io.hotswap.api.error.ConflictException;
import java.time.Instant;

/** A deployment's events as they happen, for the live progress stream. */
public interface DeploymentEventStream {

    /** One stored event of the deployment; {@code sequence} counts from 0 and serves as the SSE event id. */
    record DeploymentEvent(long sequence, String type, Instant at, Object payload) {
    }

    /** Receives events; returns false to stop following (the client went away). */
    interface Listener {
        boolean on(DeploymentEvent event);

        /** Called while nothing happens, so a dead connection is noticed; returns false to stop. */
        boolean idle();

        /** Called once at the end: the deployment finished, the listener stopped, or following failed. */
        void closed(Throwable failure);
    }

    /**
     * Replays the deployment's events after {@code afterSequence} (-1 for all), then follows new ones until the
     * deployment ends or the listener stops. Runs on a thread of its own and returns at once.
     *
     * @throws io.hotswap.api.error.ConflictException when too many streams are open already
     */
    void follow(String deploymentId, long afterSequence, Listener listener);
}
