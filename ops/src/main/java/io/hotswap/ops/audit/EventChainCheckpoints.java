package io.hotswap.ops.audit;

import io.hotswap.ops.config.HotSwapProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Extends the event store's chain while the server runs, every {@code Audit.ChainCheckpointInterval}. Every replica
 * does; the checkpoint table lets only one of them append each link.
 */
@Component
class EventChainCheckpoints implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventChainCheckpoints.class);

    private final EventChain chain;
    private final long intervalMillis;
    private ScheduledExecutorService scheduler;

    EventChainCheckpoints(DataSource database, HotSwapProperties properties) {
        HotSwapProperties.Audit audit = properties.audit();
        this.chain = new EventChain(database, audit.chainCheckpointEvents(), audit.chainSettle(), Clock.systemUTC());
        this.intervalMillis = audit.chainCheckpointInterval().toMillis();
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "event-chain"));
        scheduler.scheduleWithFixedDelay(this::checkpoint, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try {
            int covered = chain.checkpoint();
            if (covered > 0) log.debug("Event chain: checkpointed {} events", covered);
        } catch (Exception e) {
            log.warn("Event chain not extended this time (tried again in {} ms): {}", intervalMillis, e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) scheduler.shutdownNow();
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
