package io.hotswap.ops.cluster;

import io.hotswap.ops.redis.RedisConnectionStrings;
import io.hotswap.ops.support.TestRedis;
import org.axonframework.common.lock.Lock;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redisson lock adapter against the machine's real Redis ({@code HOTSWAP_TEST_REDIS}), with two clients standing
 * in for two nodes.
 */
class RedisLockFactoryTest {


    private final String prefix = "hotswap:test-lock:" + UUID.randomUUID() + ":";
    private RedissonClient nodeA;
    private RedissonClient nodeB;

    @BeforeEach
    void connect() {
        nodeA = TestRedis.client();
        nodeB = TestRedis.client();
    }

    @AfterEach
    void disconnect() {
        nodeA.shutdown();
        nodeB.shutdown();
    }

    @Test
    void aLockHeldOnOneNodeKeepsTheOtherWaitingUntilItIsReleased() throws Exception {
        RedisLockFactory a = new RedisLockFactory(nodeA, prefix, Duration.ofSeconds(10));
        RedisLockFactory b = new RedisLockFactory(nodeB, prefix, Duration.ofSeconds(10));
        Lock held = a.obtainLock("tenant-acme");

        CompletableFuture<Lock> waiting = CompletableFuture.supplyAsync(() -> b.obtainLock("tenant-acme"));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        assertThat(b.obtainLock("tenant-other").isHeld()).as("other ids are free").isTrue();

        held.release();
        Lock taken = waiting.get(5, TimeUnit.SECONDS);
        assertThat(taken.isHeld()).isTrue();
        assertThat(held.isHeld()).isFalse();
    }

    @Test
    void nodesTakeTurnsSoNoUpdateIsLostAndAnUncontendedLockIsQuick() throws Exception {
        RedisLockFactory a = new RedisLockFactory(nodeA, prefix, Duration.ofSeconds(30));
        RedisLockFactory b = new RedisLockFactory(nodeB, prefix, Duration.ofSeconds(30));
        int[] counter = {0};
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                RedisLockFactory node = t % 2 == 0 ? a : b;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        Lock lock = node.obtainLock("deployment-1");
                        int read = counter[0];
                        Thread.yield(); // a read-modify-write that loses updates unless the lock serialises it
                        counter[0] = read + 1;
                        lock.release();
                    }
                }));
            }
            for (Future<?> done : work) done.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertThat(counter[0]).isEqualTo(400);

        long[] nanos = new long[500];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            Lock lock = a.obtainLock("uncontended-" + i);
            nanos[i] = System.nanoTime() - start;
            lock.release();
        }
        Arrays.sort(nanos);
        double p50 = nanos[nanos.length / 2] / 1e6;
        double p99 = nanos[nanos.length * 99 / 100] / 1e6;
        System.out.printf("Uncontended Redis lock acquire: p50 %.2f ms, p99 %.2f ms%n", p50, p99);
        assertThat(p99).isLessThan(50);
    }

    @Test
    void aThreadCanTakeItsLockAgainAndAnotherThreadMayReleaseIt() throws Exception {
        RedisLockFactory a = new RedisLockFactory(nodeA, prefix, Duration.ofSeconds(1));
        RedisLockFactory b = new RedisLockFactory(nodeB, prefix, Duration.ofMillis(200));
        Lock outer = a.obtainLock("saga-1");
        Lock inner = a.obtainLock("saga-1"); // a nested unit of work loading the same saga

        CompletableFuture.runAsync(inner::release).get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> b.obtainLock("saga-1")).as("still held once").isInstanceOf(LockAcquisitionFailedException.class);
        CompletableFuture.runAsync(outer::release).get(5, TimeUnit.SECONDS);
        assertThat(b.obtainLock("saga-1").isHeld()).isTrue();
    }

    @Test
    void aLockThatStaysTakenIsRefusedAfterTheWait() {
        new RedisLockFactory(nodeA, prefix, Duration.ofSeconds(10)).obtainLock("plugin-1");
        long start = System.nanoTime();

        assertThatThrownBy(() -> new RedisLockFactory(nodeB, prefix, Duration.ofMillis(300)).obtainLock("plugin-1"))
                .isInstanceOf(LockAcquisitionFailedException.class).hasMessageContaining("plugin-1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    }

    @Test
    void aLockThatCannotReachRedisIsRefusedAsBusyNotAsAFailure() {
        RedissonClient gone = TestRedis.client();
        gone.shutdown();
        assertThatThrownBy(() -> new RedisLockFactory(gone, prefix, Duration.ofSeconds(1)).obtainLock("tenant-1"))
                .isInstanceOf(LockAcquisitionFailedException.class).hasMessageContaining("Could not reach Redis");
    }

    @Test
    void theLockOfANodeThatDiesExpires() throws Exception {
        Config config = RedisConnectionStrings.parse(TestRedis.ADDRESS);
        config.setLockWatchdogTimeout(1000); // production keeps Redisson's 30 s
        RedissonClient dying = Redisson.create(config);
        new RedisLockFactory(dying, prefix, Duration.ofSeconds(1)).obtainLock("tenant-acme");
        Thread.sleep(2500);
        assertThatThrownBy(() -> new RedisLockFactory(nodeB, prefix, Duration.ofMillis(100)).obtainLock("tenant-acme"))
                .as("the watchdog keeps the lock while its node lives").isInstanceOf(LockAcquisitionFailedException.class);

        dying.shutdown(); // no release: as if the node were killed
        long start = System.nanoTime();
        Lock taken = new RedisLockFactory(nodeB, prefix, Duration.ofSeconds(10)).obtainLock("tenant-acme");
        assertThat(taken.isHeld()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
}
