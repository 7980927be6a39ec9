package io.hotswap.ops.cluster;

import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestRedis;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AssociationValuesImpl;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes updating one saga at the same moment, on the machine's PostgreSQL (Axon's JdbcSagaStore) and Redis: the
 * trap STACK.md warns of, and the lock that closes it.
 */
class LockingSagaStoreTest {


    /** A saga's state: how many handlers have run on it. */
    public static class Counter {
        public int handled;
    }

    private final String prefix = "hotswap:test-lock:" + UUID.randomUUID() + ":";
    private RedissonClient redisA;
    private RedissonClient redisB;
    private JdbcSagaStore jdbc;

    @BeforeEach
    void connect() throws SQLException {
        redisA = TestRedis.client();
        redisB = TestRedis.client();
        String url = TestDatabase.create();
        jdbc = JdbcSagaStore.builder().connectionProvider(() -> DriverManager.getConnection(url))
                .sqlSchema(new PostgresSagaSqlSchema()).serializer(JacksonSerializer.defaultSerializer()).build();
        jdbc.createSchema();
        jdbc.insertSaga(Counter.class, "saga-1", new Counter(), Set.of());
    }

    @AfterEach
    void disconnect() {
        redisA.shutdown();
        redisB.shutdown();
    }

    @Test
    void withoutTheLockTheLaterUpdateUndoesTheEarlierOne() {
        handleOnBothNodesAtOnce(jdbc, jdbc);

        assertThat(handled()).isEqualTo(1);
    }

    @Test
    void withTheLockTheNodesTakeTurnsAndBothUpdatesStay() {
        handleOnBothNodesAtOnce(new LockingSagaStore(jdbc, new RedisLockFactory(redisA, prefix, Duration.ofSeconds(10))),
                new LockingSagaStore(jdbc, new RedisLockFactory(redisB, prefix, Duration.ofSeconds(10))));

        assertThat(handled()).isEqualTo(2);
    }

    /** As a saga repository does: load, handle (slowly), update and commit in one unit of work per node. */
    private static void handleOnBothNodesAtOnce(SagaStore<Object> nodeA, SagaStore<Object> nodeB) {
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> handle(nodeA)),
                CompletableFuture.runAsync(() -> handle(nodeB))).join();
    }

    private static void handle(SagaStore<Object> store) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("event"));
        Counter saga = store.loadSaga(Counter.class, "saga-1").saga();
        try {
            Thread.sleep(300); // a handler calling the plugin runtime
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        saga.handled++;
        store.updateSaga(Counter.class, "saga-1", saga, new AssociationValuesImpl());
        unitOfWork.commit();
    }

    private int handled() {
        return jdbc.loadSaga(Counter.class, "saga-1").saga().handled;
    }
}
