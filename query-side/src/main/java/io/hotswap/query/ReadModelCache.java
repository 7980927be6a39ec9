package io.hotswap.query;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The hot lookups of the read models (one deployment, one tenant), cached as JSON in a {@link Store} every node
 * shares: Redis when configured, this JVM's memory otherwise. The read models evict what they change, so a cached
 * value is never older than the last projected event.
 *
 * <p>An eviction writes a short-lived tombstone instead of deleting, and readers only ever add a value where there is
 * none. A reader that loaded the row just before a projection committed therefore cannot put that old row back
 * after the eviction: the tombstone is there. The eviction happens both at once and again after the projection's
 * transaction commits, so nobody caches the row in between either. The cache is an optimisation only: when the
 * store fails, reads go to PostgreSQL, without asking the store again for a few seconds.
 */
public final class ReadModelCache {

    /** Strings under keys, with expiry. */
    public interface Store {

        Optional<String> get(String key);

        void put(Collection<String> keys, String value, Duration timeToLive);

        void putIfAbsent(String key, String value, Duration timeToLive);

        void deleteByPrefix(String prefix);
    }

    /** How long a value may live if its eviction was lost (a node dying between commit and eviction). */
    static final Duration TIME_TO_LIVE = Duration.ofMinutes(1);
    /** Longer than any read that might still put back an old row. */
    static final Duration TOMBSTONE_TIME_TO_LIVE = Duration.ofSeconds(10);
    private static final String TOMBSTONE = "";
    private static final String PREFIX = "hotswap:read-model:";
    private static final Logger log = LoggerFactory.getLogger(ReadModelCache.class);

    /** After a read from the store failed, reads go straight to the database this long (evictions are still tried). */
    static final Duration READS_BYPASS_STORE_FOR = Duration.ofSeconds(5);

    private final Store store;
    private final JsonColumns json;
    private final Clock clock;
    private volatile long bypassStoreUntil;
    /** Set while this thread folds into scratch tables: see {@link #bypassedDuring}. */
    private final ThreadLocal<Boolean> scratch = ThreadLocal.withInitial(() -> false);

    public ReadModelCache(Store store, JsonColumns json, Clock clock) {
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs {@code work} without reading or evicting anything in the store: for a fold of past events into scratch
     * copies of the tables, which describes neither what is cached nor what the live tables hold.
     */
    public <T> T bypassedDuring(Supplier<T> work) {
        scratch.set(true);
        try {
            return work.get();
        } finally {
            scratch.remove();
        }
    }

    /** The cached value, or what {@code load} finds (cached, unless absent or just evicted). */
    public <T> Optional<T> get(String key, Class<T> type, Supplier<Optional<T>> load) {
        if (scratch.get() || clock.millis() < bypassStoreUntil) return load.get();
        Optional<String> cached;
        try {
            cached = store.get(PREFIX + key);
        } catch (RuntimeException e) {
            bypassStoreUntil = clock.millis() + READS_BYPASS_STORE_FOR.toMillis();
            log.warn("Read-model cache unavailable, reading from the database for the next {} s: {}",
                    READS_BYPASS_STORE_FOR.toSeconds(), e.getMessage());
            return load.get();
        }
        if (cached.isPresent() && !cached.get().equals(TOMBSTONE)) {
            try {
                return Optional.of(json.read(cached.get(), type));
            } catch (RuntimeException e) {
                // written by another version of the server (a rolling upgrade): read the database, which is the truth
                log.warn("Cached {} unreadable, reading from the database: {}", key, e.getMessage());
            }
        }
        Optional<T> loaded = load.get();
        if (loaded.isPresent() && cached.isEmpty()) {
            attempt(() -> store.putIfAbsent(PREFIX + key, json.write(loaded.get()), TIME_TO_LIVE));
        }
        return loaded;
    }

    /**
     * Call where the read model changes {@code key}, inside the projection's transaction. Each key is evicted once per
     * transaction at once, and all of them together again after the commit.
     */
    public void evict(String key) {
        if (scratch.get()) return;
        String prefixed = PREFIX + key;
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            tombstone(List.of(prefixed));
            return;
        }
        @SuppressWarnings("unchecked")
        Set<String> evicted = (Set<String>) TransactionSynchronizationManager.getResource(this);
        if (evicted == null) {
            Set<String> keys = new LinkedHashSet<>();
            TransactionSynchronizationManager.bindResource(this, keys);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    tombstone(keys);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResource(ReadModelCache.this);
                }
            });
            evicted = keys;
        }
        if (evicted.add(prefixed)) tombstone(List.of(prefixed));
    }

    /** A replay rebuilds everything: nothing cached before it stands. */
    public void evictAll(String keyPrefix) {
        if (scratch.get()) return;
        attempt(() -> store.deleteByPrefix(PREFIX + keyPrefix));
    }

    private void tombstone(Collection<String> keys) {
        attempt(() -> store.put(keys, TOMBSTONE, TOMBSTONE_TIME_TO_LIVE));
    }

    private static void attempt(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            log.warn("Read-model cache write failed (values expire within {}): {}", TIME_TO_LIVE, e.getMessage());
        }
    }
}
