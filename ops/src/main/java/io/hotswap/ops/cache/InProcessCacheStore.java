package io.hotswap.ops.cache;

import io.hotswap.query.ReadModelCache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The read-model cache of a single node, in its memory. */
public class InProcessCacheStore implements ReadModelCache.Store {

    /** Past this many entries the expired ones are dropped, and if that is not enough, all of them. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(String value, Instant expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public InProcessCacheStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key)).filter(this::live).map(Entry::value);
    }

    @Override
    public void put(Collection<String> keys, String value, Duration timeToLive) {
        Entry entry = new Entry(value, clock.instant().plus(timeToLive));
        keys.forEach(key -> entries.put(key, entry));
    }

    @Override
    public void putIfAbsent(String key, String value, Duration timeToLive) {
        if (entries.size() >= MAX_ENTRIES) makeRoom();
        Entry entry = new Entry(value, clock.instant().plus(timeToLive));
        entries.compute(key, (k, present) -> present != null && live(present) ? present : entry);
    }

    @Override
    public void deleteByPrefix(String prefix) {
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private boolean live(Entry entry) {
        return entry.expiresAt().isAfter(clock.instant());
    }

    private void makeRoom() {
        entries.values().removeIf(entry -> !live(entry));
        if (entries.size() >= MAX_ENTRIES) entries.clear();
    }
}
