package io.hotswap.api.projection;

import java.util.List;

/** The read models built from the event store, which can be rebuilt by replaying it. */
public interface Projections {

    /** Where one projection stands: the store position it has reached, and whether a replay is running. */
    record Status(String name, long position, boolean replaying) {
    }

    List<Status> list();

    /**
     * Clears the projection's tables and rebuilds them from the first event.
     *
     * @throws io.hotswap.api.error.NotFoundException when there is no projection of that name
     */
    Status replay(String name);
}
