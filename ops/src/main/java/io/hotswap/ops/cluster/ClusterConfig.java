package io.hotswap.ops.cluster;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.axonframework.serialization.Serializer;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * What changes when several nodes share PostgreSQL and Redis ({@code REDIS_CONNECTION_STRING} set). Each aggregate
 * and each saga is loaded and stored under a lock every node respects, so two nodes never work on the same one at
 * once; and aggregates are not cached, because a copy cached on one node goes stale when another node changes it.
 * Without Redis (a single node) the locks are Axon's in-process ones and aggregates stay cached.
 */
@Configuration
public class ClusterConfig {

    /** Longer than any command or event batch holds a lock; waiting longer means something is stuck. */
    static final Duration MAX_LOCK_WAIT = Duration.ofSeconds(60);
    static final int SNAPSHOT_EVERY = 100;

    /**
     * Keeps loaded aggregates between commands on a single node, so a deployment is not re-sourced from its growing
     * health history for every command.
     */
    @Bean
    Cache aggregateCache(ObjectProvider<RedissonClient> redis) {
        return redis.getIfAvailable() != null ? NoCache.INSTANCE : new WeakReferenceCache();
    }

    /**
     * Aggregates grow as long as they live (a health check per interval, a reservation per deployment): a snapshot
     * after every {@value #SNAPSHOT_EVERY} events bounds what a command loads, which counts most with several nodes,
     * where nothing is cached.
     */
    @Bean
    SnapshotTriggerDefinition aggregateSnapshots(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, SNAPSHOT_EVERY);
    }

    /** Guards the Tenant's rules (quotas, one active deployment per plugin and environment) across nodes. */
    @Bean
    LockFactory tenantLocks(ObjectProvider<RedissonClient> redis) {
        return locks(redis, "tenant");
    }

    @Bean
    LockFactory pluginLocks(ObjectProvider<RedissonClient> redis) {
        return locks(redis, "plugin");
    }

    @Bean
    LockFactory deploymentLocks(ObjectProvider<RedissonClient> redis) {
        return locks(redis, "deployment");
    }

    /** Sagas in PostgreSQL; with several nodes, loaded under a cluster-wide lock (see {@link LockingSagaStore}). */
    @Bean
    SagaStore<Object> sagaStore(ConnectionProvider connections, Serializer serializer, SagaSqlSchema schema,
                                ObjectProvider<RedissonClient> redis) {
        SagaStore<Object> jdbc = JdbcSagaStore.builder().connectionProvider(connections).sqlSchema(schema)
                .serializer(serializer).build();
        RedissonClient shared = redis.getIfAvailable();
        // a single node needs nothing more: Axon's saga repository already locks each saga in this JVM
        return shared == null ? jdbc : new LockingSagaStore(jdbc, locks(redis, "saga"));
    }

    private static LockFactory locks(ObjectProvider<RedissonClient> redis, String kind) {
        RedissonClient shared = redis.getIfAvailable();
        return shared != null ? new RedisLockFactory(shared, "hotswap:lock:" + kind + ":", MAX_LOCK_WAIT)
                : PessimisticLockFactory.usingDefaults();
    }
}
