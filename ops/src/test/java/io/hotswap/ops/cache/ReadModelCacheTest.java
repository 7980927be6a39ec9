package io.hotswap.ops.cache;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hotswap.ops.support.ManualClock;
import io.hotswap.ops.support.TestRedis;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.redisson.api.RedissonClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-model cache on both stores, the machine's real Redis ({@code HOTSWAP_TEST_REDIS}) and this JVM's memory:
 * what a projection changed is never served old, not even to a reader that loaded the row just before the change.
 */
class ReadModelCacheTest {

    private static final RedissonClient REDIS = TestRedis.client();
    private static final JsonColumns JSON = new JsonColumns(JsonMapper.builder().findAndAddModules().build());

    record Row(String id, int version) {
    }

    /** The database row the cache stands in front of, and how often it was read. */
    private final AtomicReference<Row> row = new AtomicReference<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final String key = "test-row:" + UUID.randomUUID();

    static Stream<ReadModelCache.Store> stores() {
        return Stream.of(new RedisCacheStore(REDIS), new InProcessCacheStore(Clock.systemUTC()));
    }

    @AfterEach
    void endTransaction() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) TransactionSynchronizationManager.clear();
    }

    @AfterAll
    static void closeRedis() {
        REDIS.shutdown();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void servesFromTheCacheUntilTheReadModelEvicts(ReadModelCache.Store store) {
        ReadModelCache cache = new ReadModelCache(store, JSON, Clock.systemUTC());
        row.set(new Row("r", 1));
        assertThat(read(cache)).contains(new Row("r", 1));
        row.set(new Row("r", 2)); // changed behind the cache's back: still the cached value
        assertThat(read(cache)).contains(new Row("r", 1));
        assertThat(loads).hasValue(1);

        cache.evict(key);
        assertThat(read(cache)).contains(new Row("r", 2));
        assertThat(read(cache)).contains(new Row("r", 2));
        assertThat(loads).hasValue(3); // once refused by the tombstone, then cached again
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aReaderThatLoadedBeforeTheChangeCannotPutTheOldRowBack(ReadModelCache.Store store) {
        ReadModelCache cache = new ReadModelCache(store, JSON, Clock.systemUTC());
        row.set(new Row("r", 1));
        Optional<Row> stale = cache.get(key, Row.class, () -> {
            Optional<Row> loaded = Optional.of(row.get());
            row.set(new Row("r", 2)); // the projection commits and evicts while this read is on its way
            cache.evict(key);
            return loaded;
        });
        assertThat(stale).contains(new Row("r", 1));
        assertThat(read(cache)).contains(new Row("r", 2));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void evictsAgainOnceTheProjectionsTransactionCommits(ReadModelCache.Store store) {
        ReadModelCache cache = new ReadModelCache(store, JSON, Clock.systemUTC());
        row.set(new Row("r", 1));
        TransactionSynchronizationManager.initSynchronization();
        cache.evict(key);
        assertThat(read(cache)).as("read before the commit").contains(new Row("r", 1));
        row.set(new Row("r", 2));
        TransactionSynchronizationUtils.triggerAfterCommit();
        TransactionSynchronizationUtils.triggerAfterCompletion(0);

        assertThat(read(cache)).contains(new Row("r", 2));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aReplayForgetsEverythingUnderItsPrefix(ReadModelCache.Store store) {
        ReadModelCache cache = new ReadModelCache(store, JSON, Clock.systemUTC());
        row.set(new Row("r", 1));
        read(cache);
        row.set(new Row("r", 2));
        cache.evictAll("test-row:");
        assertThat(read(cache)).contains(new Row("r", 2));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void absentRowsAreNotCached(ReadModelCache.Store store) {
        ReadModelCache cache = new ReadModelCache(store, JSON, Clock.systemUTC());
        assertThat(read(cache)).isEmpty();
        row.set(new Row("r", 1));
        assertThat(read(cache)).contains(new Row("r", 1));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aCachedValueThisVersionCannotReadIsReadFromTheDatabase(ReadModelCache.Store store) {
        ReadModelCache cache = new ReadModelCache(store, JSON, Clock.systemUTC());
        store.putIfAbsent("hotswap:read-model:" + key, "{\"renamedField\": [", Duration.ofMinutes(1));
        row.set(new Row("r", 1));
        assertThat(read(cache)).contains(new Row("r", 1));
    }

    @Test
    void aFailingStoreFallsBackToTheDatabaseAndReadsSkipItForAFewSeconds() {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        ManualClock clock = new ManualClock();
        ReadModelCache cache = new ReadModelCache(new ReadModelCache.Store() {
            public Optional<String> get(String key) {
                reads.incrementAndGet();
                throw new IllegalStateException("Redis is down");
            }

            public void put(Collection<String> keys, String value, Duration timeToLive) {
                writes.incrementAndGet();
                throw new IllegalStateException("Redis is down");
            }

            public void putIfAbsent(String key, String value, Duration timeToLive) {
                writes.incrementAndGet();
                throw new IllegalStateException("Redis is down");
            }

            public void deleteByPrefix(String prefix) {
                throw new IllegalStateException("Redis is down");
            }
        }, JSON, clock);
        row.set(new Row("r", 1));
        assertThat(read(cache)).contains(new Row("r", 1));
        cache.evict(key);
        row.set(new Row("r", 2));
        assertThat(read(cache)).contains(new Row("r", 2));
        assertThat(reads).as("the second read went straight to the database").hasValue(1);
        assertThat(writes).as("the eviction was still tried, nothing else").hasValue(1);

        clock.advance(Duration.ofSeconds(6));
        assertThat(read(cache)).contains(new Row("r", 2));
        assertThat(reads).as("asked again after a few seconds").hasValue(2);
    }

    private Optional<Row> read(ReadModelCache cache) {
        return cache.get(key, Row.class, () -> {
            loads.incrementAndGet();
            return Optional.ofNullable(row.get());
        });
    }
}
