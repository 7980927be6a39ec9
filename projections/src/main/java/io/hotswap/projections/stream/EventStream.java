package io.hotswap.projections.stream;

import java.util.concurrent.CompletableFuture;

/** Where events go for outside consumers (Kafka). */
public interface EventStream {

    /** Sends one envelope; the future completes once the broker has acknowledged it. */
    CompletableFuture<?> send(EventEnvelope envelope);
}
