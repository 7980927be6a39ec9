package io.hotswap.ops.cluster;

import org.axonframework.common.lock.Lock;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.common.lock.LockFactory;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Axon locks held across every node that shares the Redis: Redisson's {@link RLock}, reentrant per thread like
 * Axon's in-process {@code PessimisticLockFactory}. While the holder's node lives, Redisson's watchdog keeps the lock;
 * if the node dies, the lock expires after Redisson's lock watchdog timeout (30 s by default).
 */
public class RedisLockFactory implements LockFactory {

    private final RedissonClient redis;
    private final String prefix;
    private final Duration maxWait;

    /**
     * @param prefix  names the kind of thing locked ({@code hotswap:lock:tenant:}), so ids of different kinds never
     *                share a lock
     * @param maxWait how long to wait for a lock before giving up with {@link LockAcquisitionFailedException}
     */
    public RedisLockFactory(RedissonClient redis, String prefix, Duration maxWait) {
        this.redis = redis;
        this.prefix = prefix;
        this.maxWait = maxWait;
    }

    @Override
    public Lock obtainLock(String identifier) {
        String name = prefix + identifier;
        RLock lock = redis.getLock(name);
        // Redisson owns a lock per thread; remembering the thread lets any thread release it
        long thread = Thread.currentThread().getId();
        try {
            if (!lock.tryLock(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LockAcquisitionFailedException("Lock " + name + " stayed taken for " + maxWait.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockAcquisitionFailedException("Interrupted while waiting for lock " + name, e);
        } catch (RuntimeException redisAway) {
            // unreachable Redis: the command cannot run safely now, which is a 503 to retry, not a 500
            throw new LockAcquisitionFailedException("Could not reach Redis for lock " + name + ": "
                    + redisAway.getMessage(), redisAway);
        }
        return new Lock() {
            private volatile boolean held = true;

            @Override
            public void release() {
                if (!held) return;
                held = false;
                lock.unlockAsync(thread).toCompletableFuture().join();
            }

            @Override
            public boolean isHeld() {
                return held;
            }
        };
    }
}
